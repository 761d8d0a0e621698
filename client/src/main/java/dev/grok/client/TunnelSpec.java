package dev.grok.client;

import dev.grok.client.ClientConfig.LocalTarget;
import dev.grok.client.ClientConfig.ServeOptions;
import java.util.Objects;

/**
 * What one tunnel forwards, by kind: each kind carries exactly the settings it has, so no field is "null unless
 * kind is ..." ({@code switch} over the three is exhaustive).
 */
public sealed interface TunnelSpec {
  /** What the tunnel forwards to, as announced: {@code http://localhost:3000}, {@code localhost:22}, {@code file:///dir}. */
  String localUrl();

  /**
   * {@code grok http}: a public name forwarding to a local HTTP service.
   *
   * @param target the local service; null only in a config about to become {@link Serve} ({@link ClientConfig#withServe})
   * @param subdomain requested name, null for a random one
   * @param hostHeader {@code rewrite} (Host becomes the target's HOST:PORT), {@code preserve}, or a literal value
   * @param basicAuth {@code USER:PASS} the edge demands from visitors, null for none
   */
  record Http(LocalTarget target, String subdomain, String hostHeader, String basicAuth) implements TunnelSpec {
    public Http {
      if (hostHeader == null || hostHeader.isBlank()) {
        hostHeader = "rewrite";
      }
      if (basicAuth != null) {
        ClientConfig.checkBasicAuth(basicAuth);
      }
    }

    @Override
    public String localUrl() {
      return target == null ? "" : target.url();
    }
  }

  /**
   * {@code grok tcp}: a public port forwarding raw bytes to a local TCP service.
   *
   * @param target the local service ({@link LocalTarget#parseTcp})
   * @param remotePort the public port asked for, 0 for any (the user's last one when the server remembers it)
   */
  record Tcp(LocalTarget target, int remotePort) implements TunnelSpec {
    public Tcp {
      Objects.requireNonNull(target, "target");
      if (remotePort < 0 || remotePort > 65535) {
        throw new IllegalArgumentException("remote port: " + remotePort + " (expected: 1-65535, or 0 for any)");
      }
    }

    @Override
    public String localUrl() {
      return target.url();
    }
  }

  /**
   * {@code grok serve DIR}: a public name answered from a directory.
   *
   * @param options the directory and how it is served
   * @param subdomain requested name, null for a random one
   * @param basicAuth {@code USER:PASS} the edge demands from visitors, null for none
   */
  record Serve(ServeOptions options, String subdomain, String basicAuth) implements TunnelSpec {
    public Serve {
      Objects.requireNonNull(options, "options");
      if (basicAuth != null) {
        ClientConfig.checkBasicAuth(basicAuth);
      }
    }

    @Override
    public String localUrl() {
      return options.url();
    }
  }
}

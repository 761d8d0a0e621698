package dev.grok.client;

import java.nio.file.Path;

/**
 * How the client secures its connection to the tunnel port.
 *
 * @param mode plain text, or TLS and how the server's certificate is checked
 * @param caFile the certificate (PEM) to trust; non-null exactly for {@link Mode#TRUST_FILE}
 */
public record TunnelTls(Mode mode, Path caFile) {
  /** Plain text (h2c), the default for a server address without {@code https://}. */
  public static final TunnelTls PLAINTEXT = new TunnelTls(Mode.PLAINTEXT, null);
  /** TLS checked against the system's trusted certificates. */
  public static final TunnelTls SYSTEM_TRUST = new TunnelTls(Mode.SYSTEM_TRUST, null);
  /** TLS without any check of the server's certificate: development only. */
  public static final TunnelTls INSECURE = new TunnelTls(Mode.INSECURE, null);

  /** The kinds of tunnel connection. */
  public enum Mode { PLAINTEXT, SYSTEM_TRUST, TRUST_FILE, INSECURE }

  public TunnelTls {
    if ((mode == Mode.TRUST_FILE) != (caFile != null)) {
      throw new IllegalArgumentException("caFile: " + caFile + " (expected: a file exactly for TRUST_FILE)");
    }
  }

  /** TLS trusting the certificate(s) in {@code caFile} (PEM), e.g. the server's self-signed certificate. */
  public static TunnelTls trust(Path caFile) {
    return new TunnelTls(Mode.TRUST_FILE, caFile);
  }

  public boolean enabled() {
    return mode != Mode.PLAINTEXT;
  }
}

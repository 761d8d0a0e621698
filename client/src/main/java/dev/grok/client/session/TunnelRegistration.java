package dev.grok.client.session;

import dev.grok.client.ClientConfig;
import dev.grok.client.TunnelSpec;
import dev.grok.protocol.v1.OpenTunnel;
import dev.grok.protocol.v1.RejectReason;
import dev.grok.protocol.v1.TunnelKind;
import dev.grok.protocol.v1.TunnelOpened;
import dev.grok.protocol.v1.TunnelRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link ControlSession} asks the server for when it opens its tunnel, and what it keeps across reconnects:
 * the random name or the any-port the server gave is asked for again after a reconnect, and given up for a fresh
 * one when someone else took it meanwhile. One per session, owned by the session's loop like the session itself.
 */
final class TunnelRegistration {
  private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

  private final ClientConfig config;
  /** The name the server gave a random tunnel: asked for again after a reconnect. Null until then. */
  private String resumeSubdomain;
  /** The port the server gave a TCP tunnel that asked for any: asked for again after a reconnect. 0 until then. */
  private int resumeRemotePort;

  TunnelRegistration(ClientConfig config) {
    this.config = config;
  }

  /** The OpenTunnel of the session's tunnel under {@code tunnelId}. */
  OpenTunnel.Builder open(int tunnelId) {
    OpenTunnel.Builder open = OpenTunnel.newBuilder()
        .setTunnelId(tunnelId)
        .setLocalUrl(config.localUrl())
        .setCompression(config.compression().toProto());
    switch (config.spec()) {
      case TunnelSpec.Tcp tcp -> open.setKind(TunnelKind.TCP)
          .setRemotePort(tcp.remotePort() != 0 ? tcp.remotePort() : resumeRemotePort);
      case TunnelSpec.Http http -> openHttp(open, http.subdomain(), http.basicAuth());
      case TunnelSpec.Serve serve -> openHttp(open, serve.subdomain(), serve.basicAuth());
    }
    return open;
  }

  /** A name by HTTP: the one asked for, else the random one we had before a reconnect, else a new random one. */
  private void openHttp(OpenTunnel.Builder open, String subdomain, String basicAuth) {
    open.setKind(TunnelKind.HTTP)
        .setSubdomain(subdomain != null ? subdomain : resumeSubdomain != null ? resumeSubdomain : "")
        .setBasicAuth(basicAuth == null ? "" : basicAuth);
  }

  /** The public port asked for; 0 for any (and for HTTP tunnels). */
  private int askedRemotePort() {
    return config.spec() instanceof TunnelSpec.Tcp tcp ? tcp.remotePort() : 0;
  }

  /** The subdomain asked for; null for a random one (and for TCP tunnels). */
  private String askedSubdomain() {
    return switch (config.spec()) {
      case TunnelSpec.Http http -> http.subdomain();
      case TunnelSpec.Serve serve -> serve.subdomain();
      case TunnelSpec.Tcp tcp -> null;
    };
  }

  /** The tunnel is open: remembers the random name or the any-port the server gave, to ask for it again. */
  void opened(TunnelOpened opened) {
    if (config.spec() instanceof TunnelSpec.Tcp) {
      if (askedRemotePort() == 0) {
        resumeRemotePort = opened.getRemotePort();
      }
    } else if (askedSubdomain() == null) {
      resumeSubdomain = opened.getSubdomain();
    }
  }

  /**
   * True when {@code rejected} only refused the name or port kept from before a reconnect: it is forgotten and the
   * tunnel is to be opened again for a fresh one. False when the rejection is final.
   */
  boolean retryFresh(TunnelRejected rejected) {
    if (rejected.getReason() == RejectReason.ALREADY_TAKEN && !(config.spec() instanceof TunnelSpec.Tcp)
        && askedSubdomain() == null && resumeSubdomain != null) {
      // The random name we had before went to someone else while we were away: take a new random one.
      log.info("subdomain {} was taken while reconnecting; asking for a new random one", resumeSubdomain);
      resumeSubdomain = null;
      return true;
    }
    if (rejected.getReason() == RejectReason.ALREADY_TAKEN && config.spec() instanceof TunnelSpec.Tcp
        && askedRemotePort() == 0 && resumeRemotePort != 0) {
      log.info("TCP port {} was taken while reconnecting; asking for any port", resumeRemotePort);
      resumeRemotePort = 0;
      return true;
    }
    return false;
  }

  /** What the user is told about a final rejection. */
  static String rejectMessage(TunnelRejected r) {
    if (!r.getMessage().isEmpty()) {
      return r.getMessage();
    }
    return switch (r.getReason()) {
      case INVALID_SUBDOMAIN -> "invalid subdomain";
      case ALREADY_TAKEN -> "subdomain already taken";
      case LIMIT_REACHED -> "tunnel limit reached";
      case UNSUPPORTED -> "tunnel kind not supported by this server";
      default -> "tunnel rejected: " + r.getReason();
    };
  }
}

package dev.grok.client.session;

import dev.grok.client.ClientConfig;
import io.grpc.Status;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Words for a failed tunnel connection, with what to do when TLS is the cause: an untrusted certificate, TLS on one
 * side only. All of them are retried like any network failure (the server may be fixed while the client waits).
 */
final class TunnelFailures {
  private TunnelFailures() {}

  /** {@link #describe(Status, String, boolean, boolean)} for the tunnel server of {@code config}. */
  static String describe(Status status, ClientConfig config, boolean greeted) {
    return describe(status, config.serverHost() + ":" + config.serverPort(), config.tunnelTls().enabled(), greeted);
  }

  /**
   * {@code where} is {@code HOST:PORT}; {@code tls} tells whether this client speaks TLS to it; {@code greeted}
   * whether the server answered this connection at all (then a reset is not a sign of TLS on one side only).
   */
  static String describe(Status status, String where, boolean tls, boolean greeted) {
    String detail = status.getDescription() == null ? "" : ": " + status.getDescription();
    if (tls) {
      Throwable cert = certificateProblem(status.getCause());
      if (cert != null) {
        return "the TLS certificate of the server at " + where + " is not trusted (" + cert.getMessage()
            + "); pass --tls-ca FILE with the server's certificate (e.g. the grok.crt of 'grok-server gencert'), "
            + "or --tls-insecure for development only";
      }
      Throwable ssl = find(status.getCause(), SSLException.class);
      if (ssl != null && mentions(ssl, "not an ssl/tls record")) {
        return "the server at " + where + " does not speak TLS on its tunnel port (" + ssl.getMessage()
            + "); connect without https:// in --server and without --tls-ca/--tls-insecure";
      }
      if (ssl != null) {
        return "TLS with the server at " + where + " failed: " + ssl.getMessage();
      }
    } else if (!greeted && status.getCode() != Status.Code.OK && looksLikeTlsReply(status)) {
      return "the server at " + where + " closed the connection without answering in plain text ("
          + (status.getDescription() == null ? status.getCode() : status.getDescription()) + ")"
          + "; if its tunnel port uses TLS, connect with --server https://" + where
          + " (and --tls-ca FILE for a self-signed certificate)";
    }
    return switch (status.getCode()) {
      case OK -> "the server ended the session";
      case UNAVAILABLE -> "cannot reach the server at " + where + detail;
      default -> status.getCode() + detail;
    };
  }

  /**
   * A plain-text HTTP/2 client talking to a TLS port gets a TLS alert where it expected frames, or the connection
   * closed or reset during the first exchange of settings (the TLS side gives up on bytes that are not TLS).
   */
  private static boolean looksLikeTlsReply(Status status) {
    StringBuilder text = new StringBuilder(String.valueOf(status.getDescription()));
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      text.append(' ').append(t.getMessage());
    }
    String s = text.toString().toLowerCase(Locale.ROOT);
    return s.contains("first received frame was not settings") || s.contains("http2 exception")
        || s.contains("protocol_error") || s.contains("network closed for unknown reason")
        || s.contains("connection closed while performing protocol negotiation")
        || s.contains("connection reset by peer");
  }

  private static Throwable certificateProblem(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException
          || t instanceof CertPathBuilderException || mentions(t, "certificate") || mentions(t, "pkix")) {
        return t;
      }
    }
    return null;
  }

  private static boolean mentions(Throwable t, String words) {
    return t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(words);
  }

  private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}

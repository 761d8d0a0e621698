package dev.grok.common.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the TLS engine once per process: Netty's OpenSSL (BoringSSL from netty-tcnative, shipped in the
 * launcher jars) when it loads and supports ALPN, which both HTTP/2 and gRPC need; the JDK's otherwise. The choice
 * is logged once, with the reason OpenSSL could not be used.
 */
public final class TlsProviders {
  private static final Logger log = LoggerFactory.getLogger(TlsProviders.class);

  private TlsProviders() {}

  /** The engine every SslContext of this process uses. */
  public static SslProvider preferred() {
    return Holder.PROVIDER;
  }

  /** Initialised on first use, so a plain-text process never loads the native library. */
  private static final class Holder {
    static final SslProvider PROVIDER = choose();

    private static SslProvider choose() {
      if (OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
        log.info("TLS: OpenSSL ({})", OpenSsl.versionString());
        return SslProvider.OPENSSL;
      }
      Throwable why = OpenSsl.unavailabilityCause();
      log.info("TLS: JDK ({})", why == null ? "OpenSSL has no ALPN here" : "OpenSSL unavailable: " + why.getMessage());
      return SslProvider.JDK;
    }
  }
}

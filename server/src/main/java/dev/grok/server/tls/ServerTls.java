package dev.grok.server.tls;

import dev.grok.common.tls.TlsProviders;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * TLS contexts from one PEM certificate (chain) and its PEM private key (PKCS#8, as {@code grok-server gencert}
 * writes it). Built once at start; a certificate that cannot be read stops the start with a message naming the file.
 */
public final class ServerTls {
  private final Path certFile;
  private final Path keyFile;

  private ServerTls(Path certFile, Path keyFile) {
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  /** Checks that both files are readable; the contexts themselves are built by the methods below. */
  public static ServerTls of(Path certFile, Path keyFile) {
    for (Path p : new Path[] {certFile, keyFile}) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException((p == certFile ? "tls-cert: " : "tls-key: ") + p
            + " is not a readable file (expected: PEM, e.g. from 'grok-server gencert')");
      }
    }
    return new ServerTls(certFile, keyFile);
  }

  /** The HTTPS edge: ALPN offers h2 first, then http/1.1 (also the choice when the visitor sends no ALPN). */
  public SslContext edgeContext() {
    try {
      return builder()
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
              ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
          .build();
    } catch (SSLException | RuntimeException e) {
      throw unusable(e);
    }
  }

  /** The tunnel port: gRPC's ciphers and ALPN (h2 only). */
  public SslContext tunnelContext() {
    try {
      return GrpcSslContexts.configure(builder(), TlsProviders.preferred()).build();
    } catch (SSLException | RuntimeException e) {
      throw unusable(e);
    }
  }

  private SslContextBuilder builder() {
    return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile()).sslProvider(TlsProviders.preferred());
  }

  private IllegalArgumentException unusable(Exception e) {
    return new IllegalArgumentException("tls-cert " + certFile + " / tls-key " + keyFile
        + ": not a usable PEM certificate and private key (" + e.getMessage() + ")", e);
  }
}

package dev.grok.client.session;

import dev.grok.common.compress.CompressionMode;
import dev.grok.common.compress.CompressorRate;
import dev.grok.common.compress.TunnelCompression;
import dev.grok.protocol.v1.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link ControlSession} compresses response bodies: the configured mode as far as the server decompresses
 * it, kept across reconnects (with the auto rule's measurements) while that stays the same. One per session, owned
 * by the session's loop like the session itself.
 */
final class SessionCompression {
  private static final Logger log = LoggerFactory.getLogger(ControlSession.class);

  private final CompressionMode configured;
  /** The compression handed to the standby pools; null before the first Welcome. */
  private TunnelCompression responseCompression;

  SessionCompression(CompressionMode configured) {
    this.configured = configured;
  }

  /**
   * Called once the tunnel is ready: unless compression is off, measures the compressor's rate (the auto rule's
   * {@code C}) on a thread of its own. Not before: zstd's first use costs 0.2-0.3 s of CPU, the biggest single
   * part of a client's start, and until the rate is known the auto rule compresses nothing (its first sample needs
   * 3 MiB of one body anyway). It also loads zstd before an event loop first needs it for a message.
   */
  void afterReady() {
    if (configured != CompressionMode.NONE) {
      CompressorRate.measureInBackground();
    }
  }

  /**
   * The compression of response bodies with this server: the configured mode when the server decompresses its
   * encoding (Welcome.message_encodings), else what {@link CompressionMode#with} falls back to, with a warning.
   */
  CompressionMode negotiate(Welcome welcome) {
    CompressionMode mode = configured.with(welcome.getMessageEncodingsList());
    if (mode != configured) {
      log.warn("compression {}: the server does not decompress {} (it takes {}); response bodies use {}",
          configured.optionValue(), configured.encoding(),
          welcome.getMessageEncodingsList().isEmpty() ? "gzip at least" : welcome.getMessageEncodingsList(),
          mode.optionValue());
    }
    if (responseCompression == null || responseCompression.mode() != mode) {
      responseCompression = TunnelCompression.of(mode);
    }
    return mode;
  }

  /** What the last {@link #negotiate} chose; null before the first Welcome. */
  TunnelCompression responseCompression() {
    return responseCompression;
  }
}

package dev.grok.testing.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The peer closed (or reset) the connection before a whole response arrived. */
public final class ConnectionClosedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient byte[] received;
  private final boolean reset;

  ConnectionClosedException(String message, byte[] received, boolean reset, Throwable cause) {
    super(message + " after " + received.length + " byte(s) of the response"
        + (received.length == 0 ? "" : ": " + new String(received, 0, Math.min(received.length, 512),
            StandardCharsets.ISO_8859_1)), cause);
    this.received = received.clone();
    this.reset = reset;
  }

  /** The bytes of the unfinished response that did arrive (empty when none). */
  public byte[] received() {
    return received.clone();
  }

  /** True for a TCP reset, false for an orderly end of stream. */
  public boolean isReset() {
    return reset;
  }
}

package dev.grok.client;

import java.time.Duration;

/**
 * What a running client tells its user. The CLI prints these on stdout (text or JSON lines); tests record them.
 * Called from the client's event loop: implementations return quickly.
 */
public interface ClientListener {
  /** The tunnel is live: {@code publicUrl} reaches {@code localUrl}. Called again after every reconnect. */
  void onReady(String publicUrl, String localUrl);

  /** The session was lost or could not be made; the client retries after {@code delay}. */
  void onReconnecting(Duration delay, String reason);

  /**
   * A failure retrying cannot fix; the client has stopped. {@code exitCode}: 3 bad or revoked token, 4 subdomain
   * invalid, taken or over the limit.
   */
  void onFatal(int exitCode, String message);
}

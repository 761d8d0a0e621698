package dev.grok.testing.origin;

/**
 * Ways the origin misbehaves, in the style of OkHttp's {@code SocketPolicy}. Set for every request with {@link
 * LocalHttpOrigin#setFault(Fault)} or for one request with the path {@code /fault/NAME}.
 */
public enum Fault {
  /** On the request head: record the request, then reset the connection (SO_LINGER 0) without answering. */
  RESET_AT_START,
  /** Read the whole request, send a 200 head with chunked encoding, then send nothing more. */
  STALL_AFTER_HEADERS,
  /** Read the whole request, send a 200 head with {@code Content-Length: 1000} and 10 body bytes, then close. */
  CLOSE_MID_BODY,
  /** Read the whole request and never answer, until the connection closes (what {@code /stall} does). */
  NO_RESPONSE;

  /** Body bytes that {@link #CLOSE_MID_BODY} sends before closing. */
  public static final String CLOSE_MID_BODY_BYTES = "0123456789";

  /** Content-Length that {@link #CLOSE_MID_BODY} promises. */
  public static final int CLOSE_MID_BODY_CONTENT_LENGTH = 1000;
}

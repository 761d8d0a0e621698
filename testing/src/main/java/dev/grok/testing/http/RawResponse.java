package dev.grok.testing.http;

import dev.grok.testing.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One response as read from the wire.
 *
 * @param version e.g. {@code HTTP/1.1}
 * @param status the status code
 * @param reason the reason phrase (may be empty)
 * @param headers header lines in order, repeats kept, names as sent
 * @param body the decoded body (chunked framing removed)
 * @param trailers trailer lines of a chunked body (empty otherwise)
 * @param chunked whether the body came with chunked encoding
 */
public record RawResponse(String version, int status, String reason, List<Header> headers, byte[] body,
    List<Header> trailers, boolean chunked) {

  public RawResponse {
    headers = List.copyOf(headers);
    trailers = List.copyOf(trailers);
  }

  /** The first value of the header (case-insensitive name), or null. */
  public String header(String name) {
    return Header.first(headers, name);
  }

  /** Every value of the header (case-insensitive name), in order. */
  public List<String> headerValues(String name) {
    return Header.all(headers, name);
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public String toString() {
    return version + " " + status + " " + reason + " " + headers + " (" + body.length + " body bytes)";
  }
}

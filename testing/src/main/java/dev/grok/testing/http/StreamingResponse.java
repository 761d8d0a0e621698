package dev.grok.testing.http;

import dev.grok.testing.Header;
import java.util.List;

/**
 * A response head with its body still on the wire, from {@link RawHttpConnection#readStreamingResponse(String)}.
 *
 * @param body read it to its end (or close the connection) before reading the next response
 */
public record StreamingResponse(String version, int status, String reason, List<Header> headers, RawBody body,
    boolean chunked) {

  public StreamingResponse {
    headers = List.copyOf(headers);
  }

  /** The first value of the header (case-insensitive name), or null. */
  public String header(String name) {
    return Header.first(headers, name);
  }
}

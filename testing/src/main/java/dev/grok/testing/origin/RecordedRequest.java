package dev.grok.testing.origin;

import dev.grok.testing.Header;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One request as the origin received it.
 *
 * @param connectionId the origin's number for the connection (1 for the first accepted), to check reuse
 * @param sequence 1 for the first request on its connection, 2 for the next, ...
 * @param method the method exactly as on the wire
 * @param uri the request target exactly as on the wire (not normalized, not decoded)
 * @param protocol {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers every header line in order, repeats kept, names in their original case
 * @param bodyLength body bytes received
 * @param bodySha256 lower-case hex SHA-256 of the body bytes received
 * @param bodyComplete false when the connection ended (or the origin reset it) before the end of the body
 * @param remoteAddress the peer of the connection
 */
public record RecordedRequest(
    long connectionId,
    int sequence,
    String method,
    String uri,
    String protocol,
    List<Header> headers,
    long bodyLength,
    String bodySha256,
    boolean bodyComplete,
    InetSocketAddress remoteAddress) {

  public RecordedRequest {
    headers = List.copyOf(headers);
  }

  /** The first value of the header (case-insensitive name), or null. */
  public String header(String name) {
    return Header.first(headers, name);
  }

  /** Every value of the header (case-insensitive name), in order. */
  public List<String> headerValues(String name) {
    return Header.all(headers, name);
  }

  /** The raw path: {@link #uri()} up to {@code ?}, with the scheme and authority removed for absolute-form. */
  public String path() {
    return pathOf(uri);
  }

  /** The raw query after {@code ?}, or null. */
  public String query() {
    int q = uri.indexOf('?');
    return q < 0 ? null : uri.substring(q + 1);
  }

  static String pathOf(String uri) {
    String target = uri;
    int scheme = target.indexOf("://");
    if (scheme > 0 && target.charAt(0) != '/') {
      int slash = target.indexOf('/', scheme + 3);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    int end = target.length();
    int q = target.indexOf('?');
    if (q >= 0) {
      end = q;
    }
    int hash = target.indexOf('#');
    if (hash >= 0 && hash < end) {
      end = hash;
    }
    return target.substring(0, end);
  }
}

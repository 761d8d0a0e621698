package dev.grok.testing.origin;

import dev.grok.testing.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole response that an {@link OriginHandler} returns. The origin adds {@code Content-Length} (unless the
 * headers carry one, or the status has no body), omits the body for HEAD requests and sets {@code Connection}
 * from the request.
 */
public record OriginResponse(int status, List<Header> headers, byte[] body) {
  public OriginResponse {
    if (status < 200 || status > 999) {
      throw new IllegalArgumentException("status: " + status + " (expected: 200 to 999)");
    }
    headers = List.copyOf(headers);
    body = body.clone();
  }

  /** A {@code text/plain; charset=utf-8} response. */
  public static OriginResponse text(int status, String body) {
    return new OriginResponse(status, List.of(new Header("Content-Type", "text/plain; charset=utf-8")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy with one more header line (after the existing ones). */
  public OriginResponse withHeader(String name, String value) {
    List<Header> more = new ArrayList<>(headers);
    more.add(new Header(name, value));
    return new OriginResponse(status, more, body);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}

package dev.grok.testing.origin;

import dev.grok.testing.Header;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/** Chooses the {@link Exchange} for a request head: the test's routes first, then the built-in paths. */
final class OriginRoutes {
  private static final int MAX_SLOW_CHUNKS = 100_000;
  private static final long MAX_SLOW_DELAY_MILLIS = 60_000;

  /** Test routes by path prefix; written by the test thread, read by event loops. */
  private final Map<String, OriginHandler> custom = new ConcurrentHashMap<>();

  void add(String pathPrefix, OriginHandler handler) {
    if (pathPrefix == null || !pathPrefix.startsWith("/")) {
      throw new IllegalArgumentException("pathPrefix: " + pathPrefix + " (expected: starting with /)");
    }
    custom.put(pathPrefix, handler);
  }

  /** The fault a {@code /fault/NAME} path asks for, or null. */
  Fault faultFor(HttpRequest head) {
    String path = RecordedRequest.pathOf(head.uri());
    if (!path.startsWith("/fault/")) {
      return null;
    }
    try {
      return Fault.valueOf(path.substring("/fault/".length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  Exchange exchangeFor(OriginConnectionHandler conn, HttpRequest head, Fault fault,
      BlockingQueue<SlowStream> slowStreams) {
    if (fault == Fault.NO_RESPONSE) {
      return new StallExchange(conn, head);
    }
    if (fault != null) {
      return new FaultExchange(conn, head, fault);
    }
    String path = RecordedRequest.pathOf(head.uri());
    OriginHandler handler = customFor(path);
    if (handler != null) {
      return new CannedExchange(conn, head, handler::respond);
    }
    if (path.startsWith("/fault/")) {
      return canned(conn, head, OriginResponse.text(400, "unknown fault: " + path.substring(7) + "\n"));
    }
    if (path.startsWith("/echo")) {
      return new EchoExchange(conn, head);
    }
    if (path.startsWith("/status/")) {
      return canned(conn, head, statusResponse(path.substring("/status/".length())));
    }
    if (path.startsWith("/bytes/")) {
      long length = parseLong(path.substring("/bytes/".length()), -1);
      return length < 0
          ? canned(conn, head, OriginResponse.text(400, "bad length: " + path + " (expected: /bytes/N)\n"))
          : new BytesExchange(conn, head, length);
    }
    if (path.startsWith("/sha256")) {
      return new CannedExchange(conn, head, r -> new OriginResponse(200,
          List.of(new Header("Content-Type", "application/json")),
          ("{\"sha256\":\"" + r.bodySha256() + "\",\"length\":" + r.bodyLength() + "}")
              .getBytes(StandardCharsets.US_ASCII)));
    }
    if (path.startsWith("/cookies")) {
      return canned(conn, head, cookies());
    }
    if (path.startsWith("/slow")) {
      return slow(conn, head, slowStreams);
    }
    if (path.startsWith("/stall")) {
      return new StallExchange(conn, head);
    }
    return canned(conn, head, OriginResponse.text(200, LocalHttpOrigin.DEFAULT_BODY));
  }

  private OriginHandler customFor(String path) {
    String best = null;
    for (String prefix : custom.keySet()) {
      if (path.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? null : custom.get(best);
  }

  private static Exchange slow(OriginConnectionHandler conn, HttpRequest head, BlockingQueue<SlowStream> streams) {
    Map<String, List<String>> query = new QueryStringDecoder(head.uri()).parameters();
    long chunks = parseLong(first(query, "chunks", "3"), -1);
    boolean gated = Boolean.parseBoolean(first(query, "gate", "false"));
    long delayMillis = parseLong(first(query, "delayMs", "100"), -1);
    if (chunks < 0 || chunks > MAX_SLOW_CHUNKS) {
      return canned(conn, head, OriginResponse.text(400,
          "chunks: " + first(query, "chunks", "") + " (expected: 0 to " + MAX_SLOW_CHUNKS + ")\n"));
    }
    if (!gated && (delayMillis < 0 || delayMillis > MAX_SLOW_DELAY_MILLIS)) {
      return canned(conn, head, OriginResponse.text(400,
          "delayMs: " + first(query, "delayMs", "") + " (expected: 0 to " + MAX_SLOW_DELAY_MILLIS + ")\n"));
    }
    return new SlowExchange(conn, head, (int) chunks, gated ? -1 : delayMillis, streams);
  }

  private static OriginResponse statusResponse(String code) {
    long status = parseLong(code, -1);
    if (status < 200 || status > 599) {
      return OriginResponse.text(400, "bad status: " + code + " (expected: 200 to 599)\n");
    }
    return OriginResponse.text((int) status, "status " + status + "\n");
  }

  private static OriginResponse cookies() {
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("Content-Type", "text/plain; charset=utf-8"));
    for (String cookie : LocalHttpOrigin.COOKIES) {
      headers.add(new Header("Set-Cookie", cookie));
    }
    for (String value : LocalHttpOrigin.MULTI_VALUES) {
      headers.add(new Header("X-Multi", value));
    }
    return new OriginResponse(200, headers, "cookies\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static Exchange canned(OriginConnectionHandler conn, HttpRequest head, OriginResponse response) {
    return new CannedExchange(conn, head, r -> response);
  }

  static FullHttpResponse badRequest(HttpRequest head) {
    String reason = "bad request: " + head.decoderResult().cause() + "\n";
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
        Unpooled.wrappedBuffer(reason.getBytes(StandardCharsets.UTF_8)));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }

  private static String first(Map<String, List<String>> query, String name, String fallback) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }

  private static long parseLong(String text, long fallback) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}

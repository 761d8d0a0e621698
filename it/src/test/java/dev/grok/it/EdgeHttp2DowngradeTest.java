package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.RecordedRequest;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 downgrade attacks: requests that are harmless-looking in HTTP/2 but become something else once the edge
 * turns them into HTTP/1.1 for the local service (connection-specific headers, {@code te} other than
 * {@code trailers}, CR/LF/NUL in a field, pseudo-header abuse, a content-length the DATA disagrees with). Each case
 * is sent on a real server and tunnel with {@link RawH2}: the stream must be reset (or answered 400) and the local
 * service must never see the request, nor anything smuggled in its body.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class EdgeHttp2DowngradeTest {
  private static final String NAME = "h2downgrade";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  @TempDir
  static Path dataDir;
  static OneTunnel tunnel;

  @BeforeAll
  static void start() {
    tunnel = OneTunnel.start(dataDir, NAME);
  }

  @AfterAll
  static void stop() {
    if (tunnel != null) {
      tunnel.close();
    }
  }

  /**
   * One hostile request: {@code send} writes it as stream 1 to the connection, for path {@code path}. With
   * {@code headMayPass} the request head itself is well-formed and may reach the local service before the DATA that
   * breaks it arrives (the edge streams, it does not buffer): then only what is smuggled must never pass.
   */
  record Case(String name, BiConsumer<RawH2, String> send, boolean headMayPass) {
    Case(String name, BiConsumer<RawH2, String> send) {
      this(name, send, false);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Http2Headers get(String path) {
    return RawH2.request("GET", tunnel.host(), path);
  }

  private static Http2Headers post(String path) {
    return RawH2.request("POST", tunnel.host(), path);
  }

  /** A GET with one extra header line. */
  private static Case extra(String name, String header, String value) {
    return new Case(name, (h2, path) -> h2.headers(1, get(path).add(header, value), true));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // Connection-specific header fields (RFC 9113 8.2.2): meaningless in HTTP/2, dangerous after a downgrade.
        extra("connection", "connection", "close"),
        extra("connection-keep-alive-list", "connection", "keep-alive, x-secret"),
        extra("keep-alive", "keep-alive", "timeout=5"),
        extra("proxy-connection", "proxy-connection", "keep-alive"),
        extra("transfer-encoding-chunked", "transfer-encoding", "chunked"),
        extra("transfer-encoding-identity", "transfer-encoding", "identity"),
        extra("upgrade-websocket", "upgrade", "websocket"),
        extra("upgrade-h2c", "upgrade", "h2c"),
        // te other than "trailers".
        extra("te-gzip", "te", "gzip"),
        extra("te-trailers-and-gzip", "te", "trailers, gzip"),
        extra("te-chunked", "te", "chunked"),
        // Field syntax: h2 names are lower case; CR, LF and NUL are never allowed (a downgrade would split lines).
        extra("uppercase-name", "X-Upper", "1"),
        extra("crlf-in-value", "x-note", "a\r\nx-injected: 1"),
        extra("lf-in-value", "x-note", "a\nx-injected: 1"),
        extra("cr-in-value", "x-note", "a\rx-injected: 1"),
        extra("nul-in-value", "x-note", "a\0b"),
        extra("space-in-name", "x bad", "1"),
        extra("colon-in-name", "x:bad", "1"),
        extra("crlf-in-name", "x-a\r\nx-b", "1"),
        extra("empty-name", "", "1"),
        // Pseudo-header abuse.
        extra("unknown-pseudo-header", ":foo", "bar"),
        extra("response-pseudo-in-request", ":status", "200"),
        new Case("duplicate-path", (h2, path) -> h2.headersInOrder(1, true, get(path),
            new DefaultHttp2Headers(false).add(":path", "/elsewhere"))),
        new Case("pseudo-after-regular", (h2, path) -> h2.headersInOrder(1, true,
            new DefaultHttp2Headers(false).method("GET").scheme("http").authority(tunnel.host()),
            new DefaultHttp2Headers(false).add("x-first", "1"), new DefaultHttp2Headers(false).path(path))),
        new Case("missing-path", (h2, path) -> h2.headers(1,
            new DefaultHttp2Headers(false).method("GET").scheme("http").authority(tunnel.host()).add("x-p", path),
            true)),
        new Case("missing-method", (h2, path) -> h2.headers(1,
            new DefaultHttp2Headers(false).scheme("http").authority(tunnel.host()).path(path), true)),
        new Case("empty-path", (h2, path) -> h2.headers(1,
            new DefaultHttp2Headers(false).method("GET").scheme("http").authority(tunnel.host()).path("")
                .add("x-p", path), true)),
        new Case("crlf-in-path", (h2, path) -> h2.headers(1, get(path + " HTTP/1.1\r\nx-injected: 1\r\nx-y:"),
            true)),
        new Case("space-in-method", (h2, path) -> h2.headers(1, RawH2.request("GET " + path + " HTTP/1.1\r\n",
            tunnel.host(), path), true)),
        // Content-length against the DATA frames (RFC 9113 8.1.1).
        new Case("content-length-below-data", (h2, path) -> h2.headers(1, post(path).add("content-length", "5"),
            false).data(1, ascii("0123456789"), true)),
        new Case("content-length-above-data", (h2, path) -> h2.headers(1, post(path).add("content-length", "10"),
            false).data(1, ascii("01234"), true)),
        new Case("content-length-zero-smuggles-request", (h2, path) -> h2.headers(1,
            post(path).add("content-length", "0"), false).data(1, ascii("GET /smuggled HTTP/1.1\r\nHost: "
            + tunnel.origin().hostAndPort() + "\r\n\r\n"), true), true),
        new Case("content-length-with-end-of-headers", (h2, path) -> h2.headers(1,
            post(path).add("content-length", "7"), true)),
        new Case("two-content-lengths", (h2, path) -> h2.headers(1, post(path).add("content-length", "3")
            .add("content-length", "4"), false).data(1, ascii("abc"), true)),
        new Case("content-length-not-a-number", (h2, path) -> h2.headers(1,
            post(path).add("content-length", "3x"), false).data(1, ascii("abc"), true)),
        new Case("content-length-negative", (h2, path) -> h2.headers(1,
            post(path).add("content-length", "-1"), false).data(1, ascii("abc"), true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedAndNeverSeenByTheLocalService(Case c) throws Exception {
    String path = "/downgrade/" + c.name();
    try (RawH2 h2 = RawH2.connect(tunnel.httpPort(), READ_TIMEOUT)) {
      h2.frame(RawH2.SETTINGS, RawH2.ACK, 0, new byte[0]);
      c.send().accept(h2, path);
      h2.flush();
      RawH2.Frame answer = h2.awaitAnswer(1);
      assertThat(answer).as("an answer to %s (%s)", c, h2.end()).isNotNull();
      if (answer.type() == RawH2.HEADERS) {
        assertThat(RawH2.status(answer)).as("status of %s", c).isEqualTo("400");
      } else {
        assertThat(answer.type()).as("frame answering %s", c).isEqualTo(RawH2.RST_STREAM);
        assertThat(answer.errorCode()).as("reset code for %s", c).isEqualTo(RawH2.PROTOCOL_ERROR);
      }
    }
    // A request sent after the case, and answered, is recorded by the origin after anything of the case's.
    EdgeHttp2LimitsTest.assertServed(tunnel, "/after/" + c.name());
    List<RecordedRequest> seen = tunnel.origin().requests().all();
    assertThat(seen).noneMatch(r -> r.uri().contains("smuggled") || r.uri().contains("injected"));
    if (!c.headMayPass()) {
      assertThat(seen).filteredOn(r -> r.uri().startsWith(path) || path.equals(r.header("x-p")))
          .as("requests of %s the local service saw complete", c)
          .noneMatch(RecordedRequest::bodyComplete);
    }
    assertThat(seen).noneMatch(r -> r.header("x-injected") != null);
  }

  @Test
  void aWellFormedRequestWithTrailersTeAndMatchingLengthIsServed() throws Exception {
    try (RawH2 h2 = RawH2.connect(tunnel.httpPort(), READ_TIMEOUT)) {
      h2.frame(RawH2.SETTINGS, RawH2.ACK, 0, new byte[0])
          .headers(1, post("/downgrade/well-formed").add("te", "trailers").add("content-length", "5"), false)
          .data(1, ascii("hello"), true).flush();
      RawH2.Frame answer = h2.awaitAnswer(1);
      assertThat(answer).as("answer (%s)", h2.end()).isNotNull();
      assertThat(RawH2.status(answer)).isEqualTo("200");
    }
    RecordedRequest seen = OriginRequests.take(tunnel.origin(), "/downgrade/well-formed");
    assertThat(seen.bodyComplete()).isTrue();
    assertThat(seen.bodyLength()).isEqualTo(5);
  }
}

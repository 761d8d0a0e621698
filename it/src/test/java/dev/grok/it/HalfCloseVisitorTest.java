package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A visitor that half-closes its connection right after its request (HTTP/1.0 tools, {@code printf ... | nc -N})
 * still gets the whole answer, as from nginx; a FIN in the middle of a request body ends that exchange only.
 */
@ExtendWith(LeakDetection.class)
class HalfCloseVisitorTest {
  private static final String NAME = "halfclose";

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).build();

  @Test
  void http10RequestThenHalfCloseGetsTheWholeResponse() throws Exception {
    try (RawHttpConnection c = RawHttp.connect(tunnel.httpPort())) {
      c.send("GET /bytes/100000 HTTP/1.0\r\nHost: " + tunnel.host() + "\r\n\r\n");
      c.shutdownOutput();

      String answer = new String(c.readUntilClose(), StandardCharsets.ISO_8859_1);

      assertThat(answer).startsWith("HTTP/1.");
      assertThat(answer.substring(0, answer.indexOf("\r\n"))).contains(" 200 ");
      assertThat(answer.length() - answer.indexOf("\r\n\r\n") - 4).as("body bytes").isEqualTo(100_000);
    }
  }

  @Test
  void keptAliveRequestWithBodyThenHalfCloseIsAnsweredAndTheConnectionEnds() throws Exception {
    try (RawHttpConnection c = RawHttp.connect(tunnel.httpPort())) {
      c.send(RawRequest.of("POST", "/echo").host(tunnel.host()).body("ping"));
      c.shutdownOutput();

      String answer = new String(c.readUntilClose(), StandardCharsets.ISO_8859_1);

      assertThat(answer).startsWith("HTTP/1.1 200 ");
      assertThat(answer).contains("\r\n\r\n4\r\nping\r\n").endsWith("0\r\n\r\n"); // the echo, chunked
    }
  }

  @Test
  void halfCloseInTheMiddleOfARequestBodyEndsThatExchangeOnly() throws Exception {
    try (RawHttpConnection c = RawHttp.connect(tunnel.httpPort())) {
      // /sha256 answers only once it has the whole body, which never comes
      c.send("POST /sha256 HTTP/1.1\r\nHost: " + tunnel.host() + "\r\nContent-Length: 100\r\n\r\n0123456789");
      c.shutdownOutput();

      String answer = new String(c.readUntilClose(), StandardCharsets.ISO_8859_1);

      assertThat(answer).doesNotContain("200 OK"); // the request never completed: nothing may answer it as if it had
    }
    // the server serves the next visitor as usual
    assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/bytes/10").host(tunnel.host())).status())
        .isEqualTo(200);
  }
}

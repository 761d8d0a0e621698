package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.Await;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pages grok answers itself when it cannot forward: unknown hosts, an unreachable local service, bad requests. */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class ErrorPagesTest {
  private static final String REFUSED = "refused";

  /** The client forwards to a port where nothing listens (bound and released). */
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(REFUSED).origin(OneTunnel.Origin.NONE).build();

  @Test
  void unknownTunnelAnswers404PageNamingTheHost() throws Exception {
    String host = tunnel.host("nobody-here");

    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/x").host(host));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.bodyText()).contains(host);
  }

  @Test
  void unknownTunnelAnswers404JsonWhenAskedForJson() throws Exception {
    String host = tunnel.host("nobody-here");

    RawResponse response = RawHttp.exchange(tunnel.httpPort(),
        RawRequest.get("/x").host(host).header("Accept", "application/json"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    assertThat(response.bodyText()).startsWith("{").contains("\"status\":404").contains(host);
  }

  @Test
  void hostOutsideTheDomainAnswers404() throws Exception {
    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host("example.com"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.bodyText()).contains("example.com");
  }

  @Test
  void edgeAnswers502WithinOneSecondWhenLocalServiceRefuses() throws Exception {
    long start = System.nanoTime();
    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.host(REFUSED)));
    long elapsedMillis = Await.millisSince(start);

    assertThat(response.status()).isEqualTo(502);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(elapsedMillis).as("milliseconds until the 502").isLessThan(1000);
  }

  @Test
  void malformedRequestLineAnswers400AndCloses() throws Exception {
    String received = RawHttp.sendAndReadUntilClose(tunnel.httpPort(), "THIS IS NOT HTTP\r\n\r\n");

    assertThat(received).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void malformedContentLengthAnswers400AndCloses() throws Exception {
    String received = RawHttp.sendAndReadUntilClose(tunnel.httpPort(),
        "POST / HTTP/1.1\r\nHost: " + tunnel.host(REFUSED) + "\r\nContent-Length: nope\r\n\r\nbody");

    assertThat(received).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void oversizedHeadersAnswer431AndClose() throws Exception {
    byte[] request = ("GET / HTTP/1.1\r\nHost: " + tunnel.host(REFUSED) + "\r\nX-Big: " + "a".repeat(64 * 1024)
        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    String received = new String(RawHttp.sendAndReadUntilClose(tunnel.httpPort(), request),
        StandardCharsets.ISO_8859_1);

    assertThat(received).startsWith("HTTP/1.1 431 ");
  }

  @Test
  void requestWithoutHostAnswers400() throws Exception {
    RawResponse response = RawHttp.exchange(tunnel.httpPort(), "GET / HTTP/1.1\r\n\r\n");

    assertThat(response.status()).isEqualTo(400);
  }
}

package dev.grok.client;

import static dev.grok.client.FakeStream.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.protocol.v1.ClientFrame;
import dev.grok.testing.BytePattern;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The first body bytes travel inside the response head when the server's Welcome says it reads them
 * (head_with_body), and never otherwise (an older server would drop them).
 */
class HeadWithBodyTest extends ClientTestBase {

  @Test
  void smallResponseIsOneFrameWhenTheServerReadsBodiesInHeads() throws Exception {
    tunnel.headWithBody = true;
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);

    stream.sendRequest("POST", "/small", List.of(header("Content-Length", "5")),
        "hello".getBytes(StandardCharsets.UTF_8));

    ClientFrame first = stream.next(WAIT);
    assertThat(first.hasResponseHead()).as("first frame %s", first).isTrue();
    assertThat(first.getResponseHead().getBody().toStringUtf8()).isEqualTo("hello");
    assertThat(first.getResponseHead().getEndOfBody()).isTrue();
    // Frames of a stream keep their order: a Data frame of the first exchange would come before the next head.
    stream.sendRequest("POST", "/again", List.of(header("Content-Length", "2")),
        "hi".getBytes(StandardCharsets.UTF_8));
    ClientFrame second = stream.next(WAIT);
    assertThat(second.hasResponseHead()).as("frame after the first exchange: %s", second).isTrue();
    assertThat(second.getResponseHead().getBody().toStringUtf8()).isEqualTo("hi");
  }

  @Test
  void largeResponseStartsInTheHeadAndGoesOnInDataFrames() throws Exception {
    tunnel.headWithBody = true;
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    byte[] body = BytePattern.bytes(3 * 1024 * 1024 + 17);

    stream.sendRequest("POST", "/large", List.of(header("Content-Length", String.valueOf(body.length))), body);
    FakeStream.FakeResponse response = stream.awaitResponse(WAIT);

    assertThat(response.head().getEndOfBody()).isFalse();
    assertThat(response.body()).as("body bytes, head's first").isEqualTo(body);
  }

  @Test
  void headCarriesNoBodyForAServerThatDoesNotSayItReadsOne() throws Exception {
    startReadyClient(); // the fake's Welcome leaves head_with_body unset, as servers before it did
    FakeStream stream = tunnel.nextStream(WAIT);

    stream.sendRequest("POST", "/small", List.of(header("Content-Length", "5")),
        "hello".getBytes(StandardCharsets.UTF_8));

    ClientFrame first = stream.next(WAIT);
    assertThat(first.hasResponseHead()).isTrue();
    assertThat(first.getResponseHead().getBody().isEmpty()).isTrue();
    assertThat(first.getResponseHead().getEndOfBody()).isFalse();
    ClientFrame data = stream.next(WAIT);
    assertThat(data.getData().getBytes().toStringUtf8()).isEqualTo("hello");
    assertThat(data.getData().getEndOfBody()).isTrue();
  }
}

package dev.grok.client;

import static dev.grok.client.FakeStream.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How standby streams are reused, multiplied and kept available. */
class StandbyPoolTest extends ClientTestBase {

  @Test
  void sameStreamCarriesTwoExchanges() throws Exception {
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);

    stream.sendRequest("GET", "/first", List.of(), null);
    assertThat(stream.awaitResponse(WAIT).header("X-Method")).isEqualTo("GET");
    stream.sendRequest("POST", "/second", List.of(header("Content-Length", "2")),
        "hi".getBytes(StandardCharsets.UTF_8));
    FakeStream.FakeResponse second = stream.awaitResponse(WAIT);

    assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(origin.nextRequest(WAIT).uri()).isEqualTo("/first");
    assertThat(origin.nextRequest(WAIT).uri()).isEqualTo("/second");
    assertThat(stream.ended).isNotDone();
  }

  @Test
  void fiftyConcurrentExchangesRunOnFiftyStreams() throws Exception {
    int n = 50;
    origin.responder = RecordingOrigin.echoOnceAllArrived(n);
    startReadyClient();

    List<FakeStream> streams = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FakeStream s = tunnel.nextStream(WAIT); // the client opens more as streams turn busy
      streams.add(s);
      byte[] body = ("exchange " + i).getBytes(StandardCharsets.UTF_8);
      s.sendRequest("POST", "/" + i, List.of(header("Content-Length", String.valueOf(body.length))), body);
    }
    for (int i = 0; i < n; i++) {
      FakeStream.FakeResponse r = streams.get(i).awaitResponse(WAIT);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("exchange " + i);
    }
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < n; i++) {
      ports.add(origin.nextRequest(WAIT).clientPort());
    }
    assertThat(ports).as("one local connection per concurrent exchange").hasSize(n);
  }

  @Test
  void busyStreamsAreReplacedToKeepEightIdle() throws Exception {
    List<ChannelHandlerContext> held = new ArrayList<>();
    origin.responder = (req, ctx) -> held.add(ctx);
    startReadyClient();
    List<FakeStream> initial = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      initial.add(tunnel.nextStream(WAIT));
    }
    assertThat(tunnel.streams.poll(100, TimeUnit.MILLISECONDS)).as("only 16 streams at first").isNull();

    for (int i = 0; i < 12; i++) {
      initial.get(i).sendRequest("GET", "/" + i, List.of(), null);
    }
    // 16 idle; the 9th busy stream leaves 7 idle, so busy streams 9 to 12 each open one more.
    for (int i = 0; i < 4; i++) {
      tunnel.nextStream(WAIT);
    }
    for (int i = 0; i < 12; i++) {
      origin.nextRequest(WAIT);
    }
    assertThat(tunnel.streams.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void anExchangeCancelledByTheServerClosesItsLocalConnection() throws Exception {
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.sendHead("POST", "/", List.of(header("Content-Length", "100")), false);
    stream.sendData(ByteString.copyFromUtf8("part of the body"), false);
    int port = origin.nextConnection(WAIT);

    stream.cancel(); // the visitor went away mid-request
    assertThat(origin.nextClosedConnection(WAIT)).isEqualTo(port);

    FakeStream next = tunnel.nextStream(WAIT);
    next.sendRequest("GET", "/after", List.of(), null);
    assertThat(next.awaitResponse(WAIT).head().getStatus()).isEqualTo(200);
    assertThat(origin.nextRequest(WAIT).uri()).isEqualTo("/after");
  }
}

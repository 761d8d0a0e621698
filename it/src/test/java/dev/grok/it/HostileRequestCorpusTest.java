package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.http.ConnectionClosedException;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.origin.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hostile request of the corpus ({@link HostileCorpus}) sent over a raw socket to a real server with two
 * live tunnels: the visitor gets exactly the statuses expected and then a closed connection, the local services
 * receive whole exactly the requests expected and never one to {@code /smuggled}, and the server serves the next
 * visitor as usual.
 */
@ExtendWith(LeakDetection.class)
class HostileRequestCorpusTest {
  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;
  static LocalHttpOrigin otherOrigin;
  static TestClient client;
  static TestClient otherClient;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir);
    origin = LocalHttpOrigin.start();
    otherOrigin = LocalHttpOrigin.start();
    client = TestClient.ready(server, server.adminToken(), "hostile", origin.hostAndPort());
    otherClient = TestClient.ready(server, server.adminToken(), "other", otherOrigin.hostAndPort());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {client, otherClient, server, origin, otherOrigin}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing the rest matters more
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> eachHostileRequestGetsItsAnswerAndNothingSmuggledPasses() {
    List<HostileCorpus> cases = HostileCorpus.all().toList();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  static void run(HostileCorpus c) throws Exception {
    int before = origin.requests().all().size();
    int otherBefore = otherOrigin.requests().all().size();
    List<Integer> statuses = new ArrayList<>();
    try (RawHttpConnection conn = RawHttp.connect(server.httpPort())) {
      conn.send(c.bytes(server.host("hostile"), server.host("other")));
      conn.shutdownOutput();
      while (true) {
        try {
          statuses.add(conn.readResponse("POST").status());
        } catch (ConnectionClosedException closed) {
          assertThat(closed.getMessage()).as("the connection ends between responses, not inside one")
              .contains("before a response");
          break;
        }
      }
    }
    assertThat(statuses).as(c.name() + ": statuses, then close").isEqualTo(c.expect());

    // The next visitor is served as usual; by then the local service has seen what it was going to see.
    String canary = "/canary/" + c.name();
    assertThat(RawHttp.exchange(server.httpPort(), RawRequest.get(canary).host(server.host("hostile"))).status())
        .isEqualTo(200);
    List<RecordedRequest> seen = since(origin, before);
    List<RecordedRequest> otherSeen = since(otherOrigin, otherBefore);
    assertThat(seen).extracting(RecordedRequest::path).doesNotContain("/smuggled");
    assertThat(otherSeen).extracting(RecordedRequest::path).doesNotContain("/smuggled");
    assertThat(seen.stream().filter(r -> r.bodyComplete() && !r.path().equals(canary)).count())
        .as(c.name() + ": whole requests at the local service").isEqualTo(c.origin());
    assertThat(otherSeen.stream().filter(RecordedRequest::bodyComplete).count())
        .as(c.name() + ": whole requests at the other local service").isEqualTo(c.other());
  }

  private static List<RecordedRequest> since(LocalHttpOrigin o, int index) {
    List<RecordedRequest> all = o.requests().all();
    return all.subList(Math.min(index, all.size()), all.size());
  }
}

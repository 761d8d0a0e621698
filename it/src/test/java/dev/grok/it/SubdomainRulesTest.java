package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.ServerConfig;
import dev.grok.server.auth.CreatedToken;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client is told when it cannot have its tunnel: the failures retrying cannot fix end it with the
 * contract's exit code and message. The server allows one tunnel per user; each test uses users of its own.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class SubdomainRulesTest {
  private static final Duration FATAL_TIMEOUT = Duration.ofSeconds(10);
  private static final AtomicInteger users = new AtomicInteger();

  @TempDir
  static Path dataDir;
  static TestServer server;
  static LocalHttpOrigin origin;

  @BeforeAll
  static void start() {
    server = TestServer.start(ServerConfig.forTests(dataDir).withMaxTunnelsPerUser(1));
    origin = LocalHttpOrigin.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  /** A token of a user nobody else in this class uses. */
  private static CreatedToken freshUser(String what) {
    String user = what + "-" + users.incrementAndGet();
    return server.createToken(user + "-token", user);
  }

  private static void assertFatal(TestClient client, int exitCode, String message) {
    RecordingListener.Event fatal = client.awaitFatal(FATAL_TIMEOUT);
    assertThat(fatal.exitCode()).as(fatal.toString()).isEqualTo(exitCode);
    assertThat(fatal.message()).containsIgnoringCase(message);
    assertThat(client.awaitTerminated(Duration.ofSeconds(5))).isEqualTo(exitCode);
  }

  @Test
  void subdomainTakenByAnotherUserEndsTheClientWith4() {
    CreatedToken alice = freshUser("alice");
    CreatedToken bob = freshUser("bob");
    try (TestClient holder = TestClient.ready(server, alice.token(), "taken", origin.hostAndPort());
        TestClient late = TestClient.start(server, bob.token(), "taken", origin.hostAndPort())) {
      assertFatal(late, 4, "already taken");
      assertThat(server.server().registry().lookup("taken").user()).isEqualTo(alice.user());
      assertThat(holder.client().terminated()).as("the holder keeps its tunnel").isNotDone();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "-lead", "trail-", "under_score", "dots.inside", "www", "admin",
      "a123456789b123456789c123456789d123456789e123456789f123456789g123"})
  void invalidSubdomainEndsTheClientWith4(String subdomain) {
    try (TestClient client = TestClient.start(server, freshUser("invalid").token(), subdomain,
        origin.hostAndPort())) {
      assertFatal(client, 4, "invalid subdomain");
    }
  }

  @Test
  void subdomainInUpperCaseIsServedInLowerCase() throws Exception {
    try (TestClient client = TestClient.ready(server, freshUser("upper").token(), "MixedCase",
        origin.hostAndPort())) {
      assertThat(client.publicUrl()).isEqualTo(server.publicUrl("mixedcase"));
      assertThat(RawHttp.exchange(server.httpPort(), RawRequest.get("/").host(server.host("MIXEDCASE"))).status())
          .isEqualTo(200);
    }
  }

  @Test
  void randomSubdomainFollowsTheRules() {
    try (TestClient client = TestClient.ready(server, freshUser("random").token(), null, origin.hostAndPort())) {
      assertThat(client.publicUrl()).matches("http://[a-z0-9]{8,}\\.localhost:" + server.httpPort());
    }
  }

  @Test
  void tunnelBeyondTheUsersLimitEndsTheClientWith4() {
    CreatedToken carol = freshUser("carol");
    try (TestClient first = TestClient.ready(server, carol.token(), "limit-one", origin.hostAndPort());
        TestClient second = TestClient.start(server, carol.token(), "limit-two", origin.hostAndPort())) {
      assertFatal(second, 4, "limit");
      assertThat(first.client().terminated()).as("the first tunnel stays").isNotDone();
    }
  }

  @Test
  void unknownTokenEndsTheClientWith3() {
    try (TestClient client = TestClient.start(server, "not-a-token", "bad-token", origin.hostAndPort())) {
      assertFatal(client, 3, "invalid token");
    }
  }

  @Test
  void revokedTokenEndsTheLiveClientWith3WithinTenSeconds() throws Exception {
    CreatedToken dave = freshUser("dave");
    try (TestClient client = TestClient.ready(server, dave.token(), "revoked", origin.hostAndPort())) {
      assertThat(server.server().tokens().revoke(dave.id())).isTrue();

      assertFatal(client, 3, "invalid token");
      assertThat(RawHttp.exchange(server.httpPort(), RawRequest.get("/").host(server.host("revoked"))).status())
          .isEqualTo(404);
    }
  }
}

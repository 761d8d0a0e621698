package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.client.RecordingListener;
import dev.grok.server.auth.CreatedToken;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
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

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().server(c -> c.withMaxTunnelsPerUser(1)).build();

  /** Starts a client of {@code token} for {@code subdomain} forwarding to the origin. */
  private static TestClient start(String token, String subdomain) {
    return TestClient.start(tunnel.server(), token, subdomain, tunnel.origin().hostAndPort());
  }

  /** Like {@link #start} and waits until its tunnel is ready. */
  private static TestClient ready(String token, String subdomain) {
    return TestClient.ready(tunnel.server(), token, subdomain, tunnel.origin().hostAndPort());
  }

  /** A token of a user nobody else in this class uses. */
  private static CreatedToken freshUser(String what) {
    String user = what + "-" + users.incrementAndGet();
    return tunnel.server().createToken(user + "-token", user);
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
    try (TestClient holder = ready(alice.token(), "taken");
        TestClient late = start(bob.token(), "taken")) {
      assertFatal(late, 4, "already taken");
      assertThat(tunnel.server().server().registry().lookup("taken").user()).isEqualTo(alice.user());
      assertThat(holder.client().terminated()).as("the holder keeps its tunnel").isNotDone();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "-lead", "trail-", "under_score", "dots.inside", "www", "admin",
      "a123456789b123456789c123456789d123456789e123456789f123456789g123"})
  void invalidSubdomainEndsTheClientWith4(String subdomain) {
    try (TestClient client = start(freshUser("invalid").token(), subdomain)) {
      assertFatal(client, 4, "invalid subdomain");
    }
  }

  @Test
  void subdomainInUpperCaseIsServedInLowerCase() throws Exception {
    try (TestClient client = ready(freshUser("upper").token(), "MixedCase")) {
      assertThat(client.publicUrl()).isEqualTo(tunnel.server().publicUrl("mixedcase"));
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.host("MIXEDCASE"))).status())
          .isEqualTo(200);
    }
  }

  @Test
  void randomSubdomainFollowsTheRules() {
    try (TestClient client = ready(freshUser("random").token(), null)) {
      assertThat(client.publicUrl()).matches("http://[a-z0-9]{8,}\\.localhost:" + tunnel.httpPort());
    }
  }

  @Test
  void tunnelBeyondTheUsersLimitEndsTheClientWith4() {
    CreatedToken carol = freshUser("carol");
    try (TestClient first = ready(carol.token(), "limit-one");
        TestClient second = start(carol.token(), "limit-two")) {
      assertFatal(second, 4, "limit");
      assertThat(first.client().terminated()).as("the first tunnel stays").isNotDone();
    }
  }

  @Test
  void unknownTokenEndsTheClientWith3() {
    try (TestClient client = start("not-a-token", "bad-token")) {
      assertFatal(client, 3, "invalid token");
    }
  }

  @Test
  void revokedTokenEndsTheLiveClientWith3WithinTenSeconds() throws Exception {
    CreatedToken dave = freshUser("dave");
    try (TestClient client = ready(dave.token(), "revoked")) {
      assertThat(tunnel.server().server().tokens().revoke(dave.id())).isTrue();

      assertFatal(client, 3, "invalid token");
      assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.host("revoked"))).status())
          .isEqualTo(404);
    }
  }
}

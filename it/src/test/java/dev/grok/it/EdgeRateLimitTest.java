package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.ServerConfig;
import dev.grok.server.Throttles;
import dev.grok.server.auth.CreatedToken;
import dev.grok.server.ratelimit.RateLimit;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests per second per tunnel on a real server: beyond the server's default a visitor gets 429 with
 * {@code Retry-After}, counted as {@code grok_edge_rejected_total{reason="rate_limited"}}; a token's own limit
 * (stored with the token) wins over the default, also when it was set while the server runs.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class EdgeRateLimitTest {
  /**
   * How long requests are tried before giving up on a 429: a 1-per-second bucket refuses the second request of any
   * second, and the server reads the tokens' overrides every 5 s.
   */
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  private static HttpResponse<String> get(HttpClient http, OneTunnel t, String host, String path) throws Exception {
    // NAME.localhost resolves to loopback (as EdgeHttp2Test relies on too).
    return http.send(HttpRequest.newBuilder(URI.create("http://" + host + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs until a 429 comes (or WAIT passed with only 200s, which fails). */
  private static HttpResponse<String> until429(HttpClient http, OneTunnel t, String host) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (int i = 0; System.nanoTime() < deadline; i++) {
      HttpResponse<String> r = get(http, t, host, "/rate/" + i);
      if (r.statusCode() == 429) {
        return r;
      }
      assertThat(r.statusCode()).isEqualTo(200);
    }
    throw new AssertionError("no 429 within " + WAIT + " of requests to " + host);
  }

  @Test
  void beyondTheDefaultRateTheVisitorGets429WithRetryAfter() throws Exception {
    ServerConfig config = ServerConfig.forTests(dataDir)
        .withThrottles(Throttles.DEFAULTS.withRateLimit(new RateLimit(1, 1)));
    try (OneTunnel t = OneTunnel.start(config, "ratelimited");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<String> refused = until429(http, t, t.host());
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(refused.body()).contains("Too many requests").contains("1 req/s");
      assertThat(t.server().server().metrics().rejections().edgeCount("rate_limited")).isGreaterThanOrEqualTo(1);
      assertThat(t.origin().requests().all()).noneMatch(r -> r.uri().equals(refusedPath(refused)));
      assertThat(t.server().server().metrics().scrape()).contains("grok_edge_rejected_total{reason=\"rate_limited\"}");
    }
  }

  @Test
  void aTokensOwnLimitWinsOverTheDefaultEvenWhenSetWhileTheServerRuns() throws Exception {
    // Default: unlimited. One token gets 1 req/s, set in the database after the server started.
    try (OneTunnel open = OneTunnel.start(dataDir, "unlimited");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      CreatedToken slow = open.server().createToken("slow", "alice");
      open.server().server().tokens().rateLimits().set(slow.id(), new RateLimit(1, 1));
      try (LocalHttpOrigin origin = LocalHttpOrigin.start();
          TestClient client = TestClient.ready(open.server(), slow.token(), "slowtoken", origin.hostAndPort())) {
        // The server reads overrides every few seconds: the 429 comes once it has.
        HttpResponse<String> refused = until429(http, open, open.server().host("slowtoken"));
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      }
      for (int i = 0; i < 50; i++) {
        assertThat(get(http, open, open.host(), "/free/" + i).statusCode()).isEqualTo(200);
      }
    }
  }

  private static String refusedPath(HttpResponse<String> r) {
    return r.uri().getPath();
  }
}

package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.client.ClientConfig.ServeOptions;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --basic-auth USER:PASS}: the edge answers 401 with a challenge until a visitor sends the credentials, for
 * {@code grok http} and {@code grok serve} alike; the local service never sees a refused request.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class EdgeBasicAuthTest {
  static final String HTTP = "locked-http";
  static final String SERVE = "locked-files";
  static final String OPEN = "open-http";
  static final String CREDENTIALS = "alice:s3cret:with-colon";

  @TempDir
  static Path work;
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().build();

  @BeforeAll
  static void start() throws IOException {
    Path root = Files.createDirectories(work.resolve("www"));
    Files.writeString(root.resolve("index.html"), "private page");
    tunnel.readyClient(tunnel.clientConfig(HTTP).withBasicAuth(CREDENTIALS));
    tunnel.readyClient(tunnel.serveConfig(SERVE, new ServeOptions(root, true, null, false))
        .withBasicAuth(CREDENTIALS));
    tunnel.readyClient(tunnel.clientConfig(OPEN));
  }

  private static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  private static RawResponse get(String name, String path, String authorization) throws IOException {
    RawRequest request = RawRequest.get(path).host(tunnel.host(name));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return RawHttp.exchange(tunnel.httpPort(), request);
  }

  private static void assertChallenged(RawResponse response) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Basic realm=\"grok\"");
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.bodyText()).contains("401").containsIgnoringCase("password");
  }

  @Test
  void httpTunnelAnswers401WithoutCredentialsAndNeverForwards() throws Exception {
    int before = tunnel.origin().requestCount();

    assertChallenged(get(HTTP, "/no-credentials", null));
    assertThat(tunnel.origin().requestCount()).isEqualTo(before);
  }

  @Test
  void httpTunnelAnswers401ForWrongOrMalformedCredentials() throws Exception {
    assertChallenged(get(HTTP, "/wrong", basic("alice:wrong")));
    assertChallenged(get(HTTP, "/wrong", basic("bob:s3cret:with-colon")));
    assertChallenged(get(HTTP, "/wrong", "Bearer abc"));
    assertChallenged(get(HTTP, "/wrong", "Basic %%%"));
  }

  @Test
  void httpTunnelForwardsWithCredentialsKeepingTheHeaderLikeNgrok() throws Exception {
    RawResponse response = get(HTTP, "/with-credentials", basic(CREDENTIALS));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
    assertThat(OriginRequests.take(tunnel.origin(), "/with-credentials").header("Authorization"))
        .isEqualTo(basic(CREDENTIALS));
  }

  @Test
  void serveTunnelAnswers401WithoutOrWithWrongCredentials() throws Exception {
    assertChallenged(get(SERVE, "/", null));
    assertChallenged(get(SERVE, "/", basic("alice:nope")));
  }

  @Test
  void serveTunnelServesWithCredentials() throws Exception {
    RawResponse response = get(SERVE, "/", basic(CREDENTIALS));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo("private page");
  }

  @Test
  void tunnelWithoutBasicAuthStaysOpen() throws Exception {
    assertThat(get(OPEN, "/open", null).status()).isEqualTo(200);
  }
}

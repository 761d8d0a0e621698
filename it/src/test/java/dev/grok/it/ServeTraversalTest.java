package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.client.ClientConfig.ServeOptions;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grok serve} never serves what lies outside its directory: one test per traversal form, each aiming at
 * {@code outside/secret.txt}, a sibling of the served {@code www}, and at {@code www/secret-inside.txt} as a control
 * that the same request shape reaches files it may serve.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class ServeTraversalTest {
  static final String NAME = "vault";
  static final String SECRET = "TOP-SECRET-outside-the-served-directory";

  @TempDir
  static Path work;
  static Path outside;
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().origin(OneTunnel.Origin.NONE).build();

  @BeforeAll
  static void start() throws IOException {
    Path root = Files.createDirectories(work.resolve("www"));
    outside = Files.createDirectories(work.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), SECRET);
    Files.writeString(root.resolve("public.txt"), "public");
    Files.createDirectories(root.resolve("sub"));
    Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("escape-dir"), outside);
    Files.createSymbolicLink(root.resolve("sub").resolve("up.txt"), Path.of("../../outside/secret.txt"));
    tunnel.readyClient(tunnel.serveConfig(NAME, new ServeOptions(root, true, null, true)));
  }

  /** Sends {@code target} exactly as written and checks the secret did not come back. */
  private static RawResponse assertRefused(String target) throws IOException {
    RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get(target).host(tunnel.host(NAME)));
    assertThat(response.status()).as(target + " -> " + response).isBetween(400, 404);
    assertThat(response.bodyText()).as(target).doesNotContain(SECRET);
    return response;
  }

  @Test
  void controlEmptyAndDotSegmentsStillReachAFileInside() throws Exception {
    for (String target : new String[] {"/public.txt", "/./public.txt", "//public.txt"}) {
      RawResponse response = RawHttp.exchange(tunnel.httpPort(), RawRequest.get(target).host(tunnel.host(NAME)));

      assertThat(response.bodyText()).as(target).isEqualTo("public");
    }
  }

  @Test
  void dotDotSegmentsAreRefused() throws Exception {
    assertThat(assertRefused("/../outside/secret.txt").status()).isEqualTo(400);
    assertRefused("/sub/../../outside/secret.txt");
  }

  @Test
  void percentEncodedDotDotIsRefused() throws Exception {
    assertThat(assertRefused("/%2e%2e/outside/secret.txt").status()).isEqualTo(400);
  }

  @Test
  void mixedCaseAndHalfEncodedDotDotIsRefused() throws Exception {
    assertRefused("/%2E%2e/outside/secret.txt");
    assertRefused("/.%2E/outside/secret.txt");
    assertRefused("/%2e./outside/secret.txt");
  }

  @Test
  void encodedSlashIsRefused() throws Exception {
    assertThat(assertRefused("/..%2foutside%2fsecret.txt").status()).isEqualTo(400);
    assertRefused("/sub%2F..%2F..%2Foutside%2Fsecret.txt");
  }

  @Test
  void backslashesAreRefused() throws Exception {
    assertRefused("/..\\outside\\secret.txt");
    assertRefused("/sub\\..\\..\\outside\\secret.txt");
  }

  @Test
  void encodedBackslashesAreRefused() throws Exception {
    assertThat(assertRefused("/..%5coutside%5csecret.txt").status()).isEqualTo(400);
    assertRefused("/..%5Coutside%5Csecret.txt");
  }

  @Test
  void nulIsRefused() throws Exception {
    assertThat(assertRefused("/public.txt%00.png").status()).isEqualTo(400);
    assertRefused("/%00/../outside/secret.txt");
  }

  @Test
  void absolutePathsStayInsideTheDirectory() throws Exception {
    assertThat(assertRefused("/" + outside.resolve("secret.txt")).status()).isEqualTo(404);
    assertRefused("/%2F" + outside.resolve("secret.txt").toString().substring(1));
    assertRefused("http://" + tunnel.host(NAME) + "/../outside/secret.txt");
  }

  @Test
  void doubleEncodedDotDotIsALiteralNameNotATraversal() throws Exception {
    assertThat(assertRefused("/%252e%252e/outside/secret.txt").status()).isEqualTo(404);
    assertRefused("/%252e%252e%252foutside%252fsecret.txt");
  }

  @Test
  void symlinksLeadingOutsideAreRefused() throws Exception {
    assertThat(assertRefused("/escape.txt").status()).isEqualTo(403);
    assertThat(assertRefused("/escape-dir/secret.txt").status()).isEqualTo(403);
    assertThat(assertRefused("/sub/up.txt").status()).isEqualTo(403);
    assertThat(RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/").host(tunnel.host(NAME))).bodyText())
        .as("the listing leaves them out").doesNotContain("escape");
  }
}

package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.client.ClientConfig.ServeOptions;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawHttpConnection;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grok serve}: a real server, a client answering from a directory, visitors on raw sockets. Tunnel
 * {@value #SITE} has the defaults (gzip, no fallbacks); {@value #APP} has {@code --no-gzip --spa --404 404.html}.
 * Path-traversal forms are in {@link ServeTraversalTest}.
 */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class ServeDirectoryTest {
  static final String SITE = "site";
  static final String APP = "spa-site";
  static final String INDEX = "<!doctype html><title>home</title><p>the index page</p>\n";
  static final String HELLO = "hello, file\n";
  static final String NOT_FOUND_PAGE = "<p>custom: nothing here</p>\n";
  /** Text well above the gzip threshold that compresses many times. */
  static final String BIG_TEXT = "the quick brown fox jumps over the lazy dog\n".repeat(5_000);

  @TempDir
  static Path work;
  static Path root;
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().origin(OneTunnel.Origin.NONE).build();

  @BeforeAll
  static void start() throws IOException {
    root = Files.createDirectories(work.resolve("www"));
    Files.writeString(root.resolve("index.html"), INDEX);
    Files.writeString(root.resolve("hello.txt"), HELLO);
    Files.writeString(root.resolve("big.txt"), BIG_TEXT);
    Files.writeString(root.resolve("404.html"), NOT_FOUND_PAGE);
    Files.writeString(root.resolve("style.css"), "p{}");
    Files.writeString(root.resolve("app.js"), "let x;");
    Files.writeString(root.resolve("data.json"), "{}");
    Files.writeString(root.resolve("logo.svg"), "<svg/>");
    Files.write(root.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.writeString(root.resolve("blob.xyz"), "?");
    Path docs = Files.createDirectories(root.resolve("docs"));
    Files.writeString(docs.resolve("a&b <c>.txt"), "odd name");
    Files.createDirectories(docs.resolve("sub"));
    Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("hello.txt"));
    tunnel.readyClient(tunnel.serveConfig(SITE, new ServeOptions(root, true, null, false)));
    tunnel.readyClient(tunnel.serveConfig(APP, new ServeOptions(root, false, Path.of("404.html"), true)));
  }

  static RawResponse get(String name, String target, String... headers) throws IOException {
    return exchange(RawRequest.get(target), name, headers);
  }

  static RawResponse exchange(RawRequest request, String name, String... headers) throws IOException {
    request.host(tunnel.host(name));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return RawHttp.exchange(tunnel.httpPort(), request);
  }

  @Test
  void rootServesIndexHtml() throws Exception {
    RawResponse response = get(SITE, "/");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(response.bodyText()).isEqualTo(INDEX);
  }

  @Test
  void directoryWithoutIndexIsListedWithEscapedNamesAndEncodedLinks() throws Exception {
    RawResponse response = get(SITE, "/docs/");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.bodyText()).contains("a&amp;b &lt;c&gt;.txt").doesNotContain("<c>")
        .contains("href=\"a%26b%20%3Cc%3E.txt\"").contains("href=\"sub/\"").contains("href=\"../\"");
    assertThat(get(SITE, "/docs/a%26b%20%3Cc%3E.txt").bodyText()).isEqualTo("odd name");
  }

  @Test
  void directoryWithoutItsSlashRedirects301KeepingTheQuery() throws Exception {
    RawResponse response = get(SITE, "/docs?sort=name&x=%2F");

    assertThat(response.status()).isEqualTo(301);
    assertThat(response.header("Location")).isEqualTo("/docs/?sort=name&x=%2F");
  }

  @Test
  void contentTypeFollowsTheExtensionWithCharsetForText() throws Exception {
    assertThat(get(SITE, "/hello.txt").header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(get(SITE, "/style.css").header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(get(SITE, "/app.js").header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(get(SITE, "/data.json").header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(get(SITE, "/logo.svg").header("Content-Type")).isEqualTo("image/svg+xml; charset=utf-8");
    assertThat(get(SITE, "/logo.png").header("Content-Type")).isEqualTo("image/png");
    assertThat(get(SITE, "/blob.xyz").header("Content-Type")).isEqualTo("application/octet-stream");
  }

  @Test
  void matchingIfNoneMatchAnswers304WithoutBody() throws Exception {
    String etag = get(SITE, "/hello.txt").header("ETag");

    RawResponse response = get(SITE, "/hello.txt", "If-None-Match", "\"other\", " + etag);

    assertThat(etag).matches("\"[0-9a-f]+-[0-9a-f]+\"");
    assertThat(response.status()).isEqualTo(304);
    assertThat(response.header("ETag")).isEqualTo(etag);
    assertThat(response.body()).isEmpty();
    assertThat(get(SITE, "/hello.txt", "If-None-Match", "\"stale\"").status()).isEqualTo(200);
  }

  @Test
  void ifModifiedSinceLastModifiedAnswers304AndAnOlderDate200() throws Exception {
    String lastModified = get(SITE, "/hello.txt").header("Last-Modified");

    assertThat(lastModified).endsWith(" GMT");
    assertThat(get(SITE, "/hello.txt", "If-Modified-Since", lastModified).status()).isEqualTo(304);
    assertThat(get(SITE, "/hello.txt", "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").status())
        .isEqualTo(200);
  }

  @Test
  void headAnswersTheHeadersOfGetWithoutBody() throws Exception {
    RawResponse response = exchange(RawRequest.of("HEAD", "/hello.txt"), SITE);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(HELLO.length()));
    assertThat(response.header("ETag")).isEqualTo(get(SITE, "/hello.txt").header("ETag"));
    assertThat(response.body()).isEmpty();
  }

  @Test
  void singleRangeAnswers206WithContentRange() throws Exception {
    RawResponse response = get(SITE, "/hello.txt", "Range", "bytes=2-5");

    assertThat(response.status()).isEqualTo(206);
    assertThat(response.header("Content-Range")).isEqualTo("bytes 2-5/" + HELLO.length());
    assertThat(response.bodyText()).isEqualTo(HELLO.substring(2, 6));
    assertThat(get(SITE, "/hello.txt", "Range", "bytes=-3").bodyText()).isEqualTo(HELLO.substring(HELLO.length() - 3));
  }

  @Test
  void rangeBeyondTheEndAnswers416WithTheLength() throws Exception {
    RawResponse response = get(SITE, "/hello.txt", "Range", "bytes=1000-");

    assertThat(response.status()).isEqualTo(416);
    assertThat(response.header("Content-Range")).isEqualTo("bytes */" + HELLO.length());
  }

  @Test
  void multipleRangesAnswer200WithTheWholeFile() throws Exception {
    RawResponse response = get(SITE, "/hello.txt", "Range", "bytes=0-1,4-5");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo(HELLO);
  }

  @Test
  void textIsGzippedForVisitorsThatAcceptIt() throws Exception {
    RawResponse response = get(SITE, "/big.txt", "Accept-Encoding", "br, gzip;q=0.8");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(response.header("Vary")).isEqualTo("Accept-Encoding");
    assertThat(response.header("Content-Length")).isNull();
    assertThat(response.body().length).isLessThan(BIG_TEXT.length() / 10);
    assertThat(gunzip(response.body())).isEqualTo(BIG_TEXT);
  }

  @Test
  void noGzipWithoutAcceptEncodingForRangesOrForImages() throws Exception {
    RawResponse plain = get(SITE, "/big.txt");
    RawResponse refused = get(SITE, "/big.txt", "Accept-Encoding", "gzip;q=0");
    RawResponse range = get(SITE, "/big.txt", "Accept-Encoding", "gzip", "Range", "bytes=0-99");
    RawResponse image = get(SITE, "/logo.png", "Accept-Encoding", "gzip");

    for (RawResponse r : new RawResponse[] {plain, refused, range, image}) {
      assertThat(r.header("Content-Encoding")).as(r.toString()).isNull();
    }
    assertThat(plain.bodyText()).isEqualTo(BIG_TEXT);
    assertThat(plain.header("Content-Length")).isEqualTo(String.valueOf(BIG_TEXT.length()));
    assertThat(range.bodyText()).isEqualTo(BIG_TEXT.substring(0, 100));
  }

  @Test
  void noGzipFlagServesTextAsIs() throws Exception {
    RawResponse response = get(APP, "/big.txt", "Accept-Encoding", "gzip");

    assertThat(response.header("Content-Encoding")).isNull();
    assertThat(response.header("Vary")).isNull();
    assertThat(response.bodyText()).isEqualTo(BIG_TEXT);
  }

  @Test
  void unknownPathAnswersGroks404Page() throws Exception {
    RawResponse response = get(SITE, "/nope/missing.txt");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.bodyText()).contains("404").contains("/nope/missing.txt");
  }

  @Test
  void custom404PageAnswersUnknownFiles() throws Exception {
    RawResponse response = get(APP, "/missing.js");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.bodyText()).isEqualTo(NOT_FOUND_PAGE);
  }

  @Test
  void spaFallsBackToIndexForPathsThatDoNotLookLikeFiles() throws Exception {
    RawResponse route = get(APP, "/users/42/profile?tab=2");

    assertThat(route.status()).isEqualTo(200);
    assertThat(route.bodyText()).isEqualTo(INDEX);
    assertThat(get(SITE, "/users/42/profile").status()).as("no fallback without --spa").isEqualTo(404);
  }

  @Test
  void methodsOtherThanGetAndHeadAnswer405WithAllowAndTheTunnelStaysUsable() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(tunnel.httpPort())) {
      RawResponse post = connection.exchange(RawRequest.of("POST", "/hello.txt").host(tunnel.host(SITE))
          .body("a body nobody reads".repeat(1000)));

      assertThat(post.status()).isEqualTo(405);
      assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    }
    assertThat(exchange(RawRequest.of("DELETE", "/hello.txt"), SITE).status()).isEqualTo(405);
    assertThat(get(SITE, "/hello.txt").bodyText()).isEqualTo(HELLO);
  }

  @Test
  void symlinkInsideTheDirectoryIsServed() throws Exception {
    assertThat(get(SITE, "/alias.txt").bodyText()).isEqualTo(HELLO);
  }

  @Test
  void keepAliveConnectionServesManyFilesInOrder() throws Exception {
    try (RawHttpConnection connection = RawHttp.connect(tunnel.httpPort())) {
      for (int i = 0; i < 20; i++) {
        String path = i % 2 == 0 ? "/hello.txt" : "/big.txt";
        RawResponse r = connection.exchange(RawRequest.get(path).host(tunnel.host(SITE)));
        assertThat(r.bodyText()).isEqualTo(i % 2 == 0 ? HELLO : BIG_TEXT);
      }
    }
  }

  static String gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

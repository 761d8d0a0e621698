package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.BytePattern;
import dev.grok.testing.Sha256;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.origin.RecordedRequest;
import dev.grok.testing.origin.SlowStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 visitors on the HTTP port: h2c with prior knowledge (curl, h2load) and by {@code Upgrade: h2c}
 * (java.net.http), each stream its own exchange to an HTTP/1.1 local service, many streams of one connection in
 * parallel, bodies byte-exact, no HTTP/1.1 connection headers in HTTP/2 responses.
 */
@ExtendWith(LeakDetection.class)
@Timeout(180)
class EdgeHttp2Test {
  private static final String NAME = "h2edge";
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** h2load's summary line, e.g. {@code requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed}. */
  private static final Pattern H2LOAD_REQUESTS = Pattern.compile(
      "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed");

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder(NAME).build();

  private static String url(String path) {
    return "http://" + tunnel.host() + path;
  }

  /** curl options that reach NAME.localhost:PORT on 127.0.0.1 without a resolver. */
  private static List<String> curl(String... more) {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--resolve",
        tunnel.host() + ":127.0.0.1"));
    command.addAll(List.of(more));
    return command;
  }

  private static List<String> h2load(String... more) {
    List<String> command = new ArrayList<>(List.of("h2load", "--connect-to=127.0.0.1:" + tunnel.httpPort()));
    command.addAll(List.of(more));
    return command;
  }

  @Test
  void curlWithPriorKnowledgeReachesTheLocalService() throws Exception {
    ExternalTool run = ExternalTool.run(TOOL_TIMEOUT,
        curl("--http2-prior-knowledge", "-w", "\n%{http_version}", url("/prior?x=1")));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY + "\n2");
    RecordedRequest seen = OriginRequests.take(tunnel.origin(), "/prior?x=1");
    assertThat(seen.header("Host")).isEqualTo(tunnel.origin().hostAndPort());
    assertThat(seen.header("X-Forwarded-Host")).isEqualTo(tunnel.host());
    assertThat(seen.header("x-http2-stream-id")).isNull();
    assertThat(seen.header("x-http2-scheme")).isNull();
  }

  @Test
  void http2ResponsesCarryNoConnectionHeaders() throws Exception {
    // A response without a length: streamed in chunks on HTTP/1.1, in DATA frames on HTTP/2.
    ExternalTool run = ExternalTool.run(TOOL_TIMEOUT,
        curl("--http2-prior-knowledge", "-D", "-", url("/slow?chunks=3&delayMs=0")));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    String text = run.stdout().toLowerCase(Locale.ROOT);
    assertThat(text).startsWith("http/2 200");
    assertThat(text).doesNotContain("transfer-encoding").doesNotContain("connection:").doesNotContain("keep-alive");
    assertThat(run.stdout()).endsWith(SlowStream.chunkText(0) + SlowStream.chunkText(1) + SlowStream.chunkText(2));
  }

  @Test
  void javaClientUpgradesToH2cAndSendsBodiesByteExact() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    try {
      HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(url("/upgrade"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(first.body()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);

      byte[] body = BytePattern.bytes(1024 * 1024);
      HttpResponse<byte[]> echoed = http.send(HttpRequest.newBuilder(URI.create(url("/echo/h2c")))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(echoed.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(echoed.statusCode()).isEqualTo(200);
      assertThat(echoed.body()).isEqualTo(body);
      assertThat(OriginRequests.take(tunnel.origin(), "/echo/h2c").bodySha256()).isEqualTo(Sha256.hex(body));
    } finally {
      http.close();
    }
  }

  @Test
  void hundredStreamsOfOneConnectionAreAtTheLocalServiceTogether() throws Exception {
    int streams = 100;
    Path out = Files.createTempFile("h2load", ".out");
    Path err = Files.createTempFile("h2load", ".err");
    Process load = ExternalTool.start(h2load("-n", String.valueOf(streams), "-c", "1",
        "-m", String.valueOf(streams), url("/slow?chunks=1&gate=true")), out, err);
    try {
      // Every stream of the one connection reaches the origin before any of them is allowed to finish.
      List<SlowStream> inFlight = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        inFlight.add(tunnel.origin().takeSlowStream(WAIT));
      }
      for (SlowStream s : inFlight) {
        assertThat(s.isFinished()).isFalse();
      }
      inFlight.forEach(SlowStream::releaseAll);
      assertThat(load.waitFor(TOOL_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String report = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(load.exitValue()).as(report + Files.readString(err)).isZero();
      assertSucceeded(report, streams);
    } finally {
      load.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void h2loadTwoThousandRequestsOverFourConnectionsAllSucceed() throws Exception {
    // 200 streams at once, then quiet: the client retires the idle streams above its maximum while the server may be
    // handing them new requests; every request must still reach the local service (this caught a 502 race).
    ExternalTool run = ExternalTool.run(TOOL_TIMEOUT, h2load("-n", "2000", "-c", "4", "-m", "50", url("/load")));

    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertSucceeded(run.stdout(), 2000);
    assertThat(run.stdout()).contains("status codes: 2000 2xx");
  }

  private static void assertSucceeded(String report, int count) {
    Matcher m = H2LOAD_REQUESTS.matcher(report);
    assertThat(m.find()).as("h2load summary in:\n%s", report).isTrue();
    assertThat(m.group(1)).as(report).isEqualTo(String.valueOf(count));
    assertThat(m.group(4)).as("succeeded, in:\n%s", report).isEqualTo(String.valueOf(count));
    assertThat(m.group(5)).as("failed, in:\n%s", report).isEqualTo("0");
  }
}

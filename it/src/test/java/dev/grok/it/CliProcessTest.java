package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grok.testing.Await;
import dev.grok.testing.FreePort;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.leak.LeakDetection;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.process.GrokProcess;
import dev.grok.testing.process.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped launchers as a user runs them: {@code java -jar grok-server.jar} and {@code java -jar grok.jar} as
 * processes, with the flags, output and exit codes of the contract. One server process for the class, started with
 * no options but its ports from a fresh working directory (zero configuration: data in {@code ./grok-data}).
 *
 * <p>Needs {@code cli/target/grok-server.jar} and {@code cli/target/grok.jar} (built by the {@code cli} module's
 * package phase); fails, never skips, when they are missing.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class CliProcessTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicInteger clients = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;
  static Path serverJar;
  static Path clientJar;
  static int httpPort;
  static int tunnelPort;
  static int adminPort;
  static int tcpLowPort;
  static GrokProcess server;
  static LocalHttpOrigin origin;

  private final List<AutoCloseable> started = new ArrayList<>();

  /** Its own set-up, not OneTunnel: the server here is the launcher jar in a process of its own, as users run it. */
  @BeforeAll
  static void startServer() throws IOException {
    Path cliTarget = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../cli/target").normalize();
    serverJar = cliTarget.resolve("grok-server.jar");
    clientJar = cliTarget.resolve("grok.jar");
    assertThat(serverJar).as("the server launcher jar (build it: ./mvnw -pl cli -am package)").isRegularFile();
    assertThat(clientJar).as("the client launcher jar (build it: ./mvnw -pl cli -am package)").isRegularFile();
    Files.createDirectories(work.resolve("home"));
    httpPort = FreePort.find();
    tunnelPort = FreePort.find();
    adminPort = FreePort.find();
    tcpLowPort = FreePort.findRange(5);
    origin = LocalHttpOrigin.start();
    server = GrokProcess.start(cleanEnvironment(JavaProcess.builder("grok-server"))
        .jar(serverJar)
        .args("--bind", "127.0.0.1", "--http-port", String.valueOf(httpPort), "--tunnel-port",
            String.valueOf(tunnelPort), "--admin-port", String.valueOf(adminPort), "--tcp-ports",
            tcpLowPort + "-" + (tcpLowPort + 4))
        .workingDirectory(work));
    server.awaitHealthy(adminPort, START_TIMEOUT);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  @AfterEach
  void stopProcesses() throws Exception {
    for (AutoCloseable c : started) {
      c.close();
    }
  }

  /** No GROK_* variable of the test's environment, and a home directory without a grok config. */
  private static JavaProcess.Builder cleanEnvironment(JavaProcess.Builder builder) {
    System.getenv().keySet().stream().filter(k -> k.startsWith("GROK_")).forEach(builder::removeEnv);
    return builder.jvmArgs("-Duser.home=" + work.resolve("home"));
  }

  /** {@code grok ARGS} from the working directory of the server, with the tunnel port and no inspector. */
  private GrokProcess client(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", "localhost:" + tunnelPort, "--no-inspect"));
    GrokProcess p = GrokProcess.start(cleanEnvironment(JavaProcess.builder("grok-" + clients.incrementAndGet()))
        .jar(clientJar).args(all).workingDirectory(work));
    started.add(p);
    return p;
  }

  /** {@code grok-server ARGS} run to its end; fails unless it exits 0. */
  private JavaProcess serverCommand(String... args) {
    JavaProcess p = cleanEnvironment(JavaProcess.builder("grok-server-" + args[0] + "-" + args[1]))
        .jar(serverJar).args(args).workingDirectory(work).start();
    started.add(p);
    assertThat(p.awaitExit(START_TIMEOUT)).as(p.output()).isZero();
    return p;
  }

  private static RawResponse get(String publicUrl, String path) throws IOException {
    return RawHttp.exchange(httpPort, RawRequest.get(path).host(URI.create(publicUrl).getAuthority()));
  }

  private static String dataDir() {
    return work.resolve("grok-data").toString();
  }

  @Test
  void zeroConfigClientForwardsThroughTheLocalServer() throws Exception {
    GrokProcess client = client("http", String.valueOf(origin.port()));

    GrokProcess.Forwarding forwarding = client.awaitForwarding(START_TIMEOUT);

    assertThat(forwarding.publicUrl()).matches("http://[a-z0-9]{8,}\\.localhost:" + httpPort);
    assertThat(forwarding.localUrl()).isEqualTo("http://localhost:" + origin.port());
    RawResponse response = get(forwarding.publicUrl(), "/zero-config");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
  }

  @Test
  void unknownTokenExits3SayingInvalidToken() {
    GrokProcess client = client("http", String.valueOf(origin.port()), "--token", "not-a-token");

    assertThat(client.awaitExit(EXIT_TIMEOUT)).as(client.process().output()).isEqualTo(3);
    assertThat(String.join("\n", client.process().stderrLines())).containsIgnoringCase("invalid token");
  }

  @Test
  void subdomainTakenByAnotherUserExits4SayingAlreadyTaken() {
    GrokProcess holder = client("http", String.valueOf(origin.port()), "--subdomain", "cli-taken");
    holder.awaitForwarding(START_TIMEOUT);
    String bobToken = serverCommand("token", "create", "bobs-laptop", "--user", "bob", "--data-dir", dataDir())
        .stdoutLines().getFirst().strip();

    GrokProcess late = client("http", String.valueOf(origin.port()), "--subdomain", "cli-taken", "--token", bobToken);

    assertThat(late.awaitExit(EXIT_TIMEOUT)).as(late.process().output()).isEqualTo(4);
    assertThat(String.join("\n", late.process().stderrLines())).containsIgnoringCase("already taken");
  }

  @Test
  void jsonLogFormatAnnouncesTunnelReadyAsJson() throws Exception {
    GrokProcess client = client("http", String.valueOf(origin.port()), "--subdomain", "cli-json", "--log-format",
        "json");

    String line = client.process().awaitStdoutLine(l -> l.contains("tunnel_ready"), START_TIMEOUT);

    JsonNode ready = JSON.readTree(line);
    assertThat(ready.path("event").asText()).isEqualTo("tunnel_ready");
    assertThat(ready.path("public_url").asText()).isEqualTo("http://cli-json.localhost:" + httpPort);
    assertThat(ready.path("local_url").asText()).isEqualTo("http://localhost:" + origin.port());
    for (String l : client.process().stdoutLines()) {
      assertThat(JSON.readTree(l).path("event").isTextual()).as("an event object: %s", l).isTrue();
    }
  }

  @Test
  void sigtermMakesTheUrlAnswer404WithinTwoSeconds() throws Exception {
    GrokProcess client = client("http", String.valueOf(origin.port()), "--subdomain", "cli-sigterm");
    String url = client.awaitForwarding(START_TIMEOUT).publicUrl();
    assertThat(get(url, "/before-sigterm").status()).isEqualTo(200);

    long start = System.nanoTime();
    client.sendSigterm();
    await("404 within 2 s of SIGTERM").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
        .until(() -> get(url, "/after-sigterm").status() == 404);
    System.err.println("404 after SIGTERM in " + Await.millisSince(start) + " ms");
    client.awaitExit(EXIT_TIMEOUT);
  }

  @Test
  void tokenCommandsManageTokensWhileTheServerRuns() throws Exception {
    JavaProcess created = serverCommand("token", "create", "ci-runner", "--user", "carol", "--data-dir", dataDir());
    assertThat(created.stdoutLines()).hasSize(1);
    String token = created.stdoutLines().getFirst().strip();
    assertThat(token).isNotBlank().doesNotContainAnyWhitespaces();

    JavaProcess listed = serverCommand("token", "list", "--data-dir", dataDir());
    String row = listed.stdoutLines().stream().filter(l -> l.contains("ci-runner")).findFirst()
        .orElseThrow(() -> new AssertionError("no ci-runner in token list:\n" + listed.output()));
    String[] columns = row.strip().split("\\s+");
    assertThat(columns).hasSizeGreaterThanOrEqualTo(4);
    assertThat(columns[1]).isEqualTo("ci-runner");
    assertThat(columns[2]).isEqualTo("carol");
    assertThat(String.join("\n", listed.stdoutLines())).doesNotContain(token);

    GrokProcess client = client("http", String.valueOf(origin.port()), "--subdomain", "cli-revoke", "--token", token);
    String url = client.awaitForwarding(START_TIMEOUT).publicUrl();
    assertThat(get(url, "/before-revoke").status()).isEqualTo(200);

    serverCommand("token", "revoke", columns[0], "--data-dir", dataDir());
    long revokedAt = System.nanoTime();

    assertThat(client.awaitExit(Duration.ofSeconds(10))).as(client.process().output()).isEqualTo(3);
    System.err.println("client exited after revocation in " + Await.millisSince(revokedAt) + " ms");
    assertThat(String.join("\n", client.process().stderrLines())).containsIgnoringCase("invalid token");
  }

  @Test
  void firstStartBannerPrintsTheOneCommandThatMakesASuperAdmin() {
    assertThat(server.process().stdoutLines()).as(server.process().output())
        .anyMatch(l -> l.strip().equals("bin/grok-server user create you@example.com --role super_admin"
            + " --password-stdin"));
  }

  @Test
  void tcpClientAnnouncesItsPublicPortAndForwardsRawBytes() throws Exception {
    GrokProcess client = client("tcp", String.valueOf(origin.port()), "--remote-port",
        String.valueOf(tcpLowPort + 2));

    GrokProcess.Forwarding forwarding = client.awaitForwarding(START_TIMEOUT);

    assertThat(forwarding.publicUrl()).isEqualTo("tcp://localhost:" + (tcpLowPort + 2));
    assertThat(forwarding.localUrl()).isEqualTo("localhost:" + origin.port());
    // The origin speaks HTTP; through a TCP tunnel its bytes arrive untouched.
    RawResponse response = RawHttp.exchange(tcpLowPort + 2, RawRequest.get("/through-tcp").host("anything"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
  }

  @Test
  void grokServeAnnouncesTheDirectoryAndServesItBehindBasicAuth() throws Exception {
    Path site = Files.createDirectories(work.resolve("cli-site"));
    Files.writeString(site.resolve("index.html"), "<p>served by grok serve</p>");

    GrokProcess client = client("serve", "cli-site", "--subdomain", "cli-serve", "--basic-auth", "ann:pw");
    GrokProcess.Forwarding forwarding = client.awaitForwarding(START_TIMEOUT);

    assertThat(forwarding.publicUrl()).isEqualTo("http://cli-serve.localhost:" + httpPort);
    assertThat(forwarding.localUrl()).isEqualTo("file://" + site.toRealPath());
    assertThat(get(forwarding.publicUrl(), "/").status()).isEqualTo(401);
    RawResponse response = RawHttp.exchange(httpPort, RawRequest.get("/")
        .host(URI.create(forwarding.publicUrl()).getAuthority()).header("Authorization", "Basic YW5uOnB3"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).isEqualTo("<p>served by grok serve</p>");
  }

  @Test
  void grokServeOfAMissingDirectoryExits2SayingWhatWasExpected() {
    GrokProcess client = client("serve", "no-such-dir");

    assertThat(client.awaitExit(EXIT_TIMEOUT)).as(client.process().output()).isEqualTo(2);
    assertThat(String.join("\n", client.process().stderrLines())).contains("expected: an existing directory");
  }

  @Test
  void anUnknownCompressionExits2NamingTheValidValues() {
    GrokProcess client = client("http", "3000", "--compression", "brotli");

    assertThat(client.awaitExit(EXIT_TIMEOUT)).as(client.process().output()).isEqualTo(2);
    assertThat(String.join("\n", client.process().stderrLines()))
        .contains("--compression").contains("'brotli'").contains("expected: auto, gzip, zstd or none");
  }
}

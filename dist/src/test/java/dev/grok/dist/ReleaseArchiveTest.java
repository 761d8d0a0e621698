package dev.grok.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.FreePort;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.http.RawResponse;
import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.process.GrokProcess;
import dev.grok.testing.process.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a user gets it: unpacked into a temporary directory and run from there with
 * {@code JAVA_HOME} unset and a {@code PATH} holding no {@code java} (only the few tools the launchers use), so
 * everything runs on the bundled jlink runtime. Needs the archive of {@code ./mvnw -Prelease package}, named by the
 * system property {@code grok.release.archive}; fails, never skips, when it is missing.
 */
@Timeout(180)
class ReleaseArchiveTest {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  /** What the launchers, the completion scripts and the image's healthcheck run besides the bundled java. */
  private static final List<String> TOOLS = List.of("bash", "dirname", "readlink", "sed", "cat", "timeout");

  private static final Path REPOSITORY =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();

  @TempDir
  static Path work;
  static Path release;
  static Path tools;

  @BeforeAll
  static void unpack() throws Exception {
    String archive = System.getProperty("grok.release.archive");
    assertThat(archive).as("system property grok.release.archive (set by dist/pom.xml)").isNotBlank();
    assertThat(Path.of(archive)).as("the release archive (build it: ./mvnw -Prelease package)").isRegularFile();
    Path unpacked = Files.createDirectories(work.resolve("unpacked"));
    assertThat(run(List.of("tar", "-xzf", archive, "-C", unpacked.toString()), Map.of()).exitCode).isZero();
    try (var entries = Files.list(unpacked)) {
      release = entries.filter(p -> p.getFileName().toString().startsWith("grok-")).findFirst().orElseThrow();
    }
    tools = Files.createDirectories(work.resolve("tools"));
    for (String tool : TOOLS) {
      Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
    }
    Files.createDirectories(work.resolve("home"));
    Files.createDirectories(work.resolve("run"));
  }

  /** JAVA_HOME, JDK_HOME and GROK_* removed; PATH only the launchers' tools; a home without a grok config. */
  private static JavaProcess.Builder noJdk(JavaProcess.Builder builder) {
    System.getenv().keySet().stream()
        .filter(k -> k.startsWith("GROK_") || k.equals("JAVA_HOME") || k.equals("JDK_HOME"))
        .forEach(builder::removeEnv);
    return builder.env("PATH", tools.toString()).env("HOME", work.resolve("home").toString())
        .env("GROK_JAVA_OPTS", "-Duser.home=" + work.resolve("home")).workingDirectory(work.resolve("run"));
  }

  private record Result(int exitCode, String stdout) {}

  private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "tool", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().keySet().removeIf(k -> k.equals("JAVA_HOME") || k.startsWith("GROK_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + TOOL_TIMEOUT);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  @Test
  void serverAndClientFromTheArchiveForwardARequestWithoutAJdk() throws Exception {
    assertThat(run(List.of(tools.resolve("bash").toString(), "-c", "command -v java"), Map.of("PATH",
        tools.toString())).exitCode).as("java must not be on the test's PATH").isNotZero();
    int httpPort = FreePort.find();
    int tunnelPort = FreePort.find();
    int adminPort = FreePort.find();
    int tcpLow = FreePort.findRange(2);
    List<AutoCloseable> started = new ArrayList<>();
    try (LocalHttpOrigin origin = LocalHttpOrigin.start()) {
      GrokProcess server = GrokProcess.start(noJdk(JavaProcess.builder("release-server"))
          .executable(release.resolve("bin/grok-server"))
          .args("--bind", "127.0.0.1", "--http-port", String.valueOf(httpPort), "--tunnel-port",
              String.valueOf(tunnelPort), "--admin-port", String.valueOf(adminPort), "--tcp-ports",
              tcpLow + "-" + (tcpLow + 1)));
      started.add(server);
      server.awaitHealthy(adminPort, START_TIMEOUT);
      assertRunsOnTheBundledRuntime(server.process());

      GrokProcess client = GrokProcess.start(noJdk(JavaProcess.builder("release-client"))
          .executable(release.resolve("bin/grok"))
          .args("http", String.valueOf(origin.port()), "--server", "localhost:" + tunnelPort, "--no-inspect"));
      started.add(client);
      GrokProcess.Forwarding forwarding = client.awaitForwarding(START_TIMEOUT);
      assertRunsOnTheBundledRuntime(client.process());

      RawResponse response = RawHttp.exchange(httpPort,
          RawRequest.get("/from-the-release").host(URI.create(forwarding.publicUrl()).getAuthority()));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo(LocalHttpOrigin.DEFAULT_BODY);
    } finally {
      for (AutoCloseable c : started.reversed()) {
        c.close();
      }
    }
  }

  private static void assertRunsOnTheBundledRuntime(JavaProcess process) throws IOException {
    String command = ProcessHandle.of(process.pid()).orElseThrow().info().command().orElseThrow();
    assertThat(Path.of(command).toRealPath()).isEqualTo(release.resolve("runtime/bin/java").toRealPath());
  }

  @Test
  void launchersTakeTheAheadOfTimeCachesFromTheUnpackedPlace() throws Exception {
    assertThat(release.resolve("lib/grok-server.aot")).isRegularFile();
    assertThat(release.resolve("lib/grok.aot")).isRegularFile();
    for (String launcher : List.of("bin/grok-server", "bin/grok")) {
      // AOTMode=on: the JVM refuses to start when it cannot map the cache (auto would fall back silently).
      Result version = run(List.of(release.resolve(launcher).toString(), "version"),
          Map.of("PATH", tools.toString(), "GROK_JAVA_OPTS", "-XX:AOTMode=on"));

      assertThat(version.exitCode).as(version.stdout).isZero();
      assertThat(version.stdout).contains("0.", "grok");
    }
  }

  @Test
  void runtimeHoldsOnlyTheModulesGrokUses() throws Exception {
    Result modules = run(List.of(release.resolve("runtime/bin/java").toString(), "--list-modules"), Map.of());

    assertThat(modules.exitCode).as(modules.stdout).isZero();
    assertThat(modules.stdout).contains("java.base@", "java.sql@", "jdk.unsupported@", "jdk.crypto.ec@",
        "jdk.management@", "jdk.naming.dns@");
    assertThat(modules.stdout).doesNotContain("jdk.compiler@", "java.compiler@", "jdk.jshell@", "jdk.javadoc@");
    assertThat(release.resolve("runtime/bin/javac")).doesNotExist();
  }

  @Test
  void completionScriptsOfferTheSubcommands() throws Exception {
    String script = "source completion/grok.bash; source completion/grok-server.bash; "
        + "COMP_WORDS=(grok h); COMP_CWORD=1; COMP_LINE='grok h'; COMP_POINT=6; "
        + "$(complete -p grok | sed 's/.* -F \\([^ ]*\\) .*/\\1/'); echo \"grok: ${COMPREPLY[*]}\"; "
        + "COMP_WORDS=(grok-server to); COMP_CWORD=1; COMP_LINE='grok-server to'; COMP_POINT=14; "
        + "$(complete -p grok-server | sed 's/.* -F \\([^ ]*\\) .*/\\1/'); echo \"server: ${COMPREPLY[*]}\"";
    Result completed = run(List.of(tools.resolve("bash").toString(), "-c", "cd " + release + " && " + script),
        Map.of("PATH", tools.toString()));

    assertThat(completed.exitCode).as(completed.stdout).isZero();
    assertThat(completed.stdout).contains("grok: http").contains("server: token");
  }

  @Test
  void systemdUnitsPassSystemdAnalyzeVerify() throws Exception {
    Path units = Files.createDirectories(work.resolve("units"));
    for (String unit : List.of("grok-server.service", "grok-http.service")) {
      // verify checks that ExecStart exists: point it at the unpacked release instead of /opt/grok.
      String text = Files.readString(release.resolve("systemd").resolve(unit)).replace("/opt/grok/", release + "/");
      Path copy = Files.writeString(units.resolve(unit), text);

      Result verified = run(List.of("systemd-analyze", "verify", copy.toString()), Map.of());

      assertThat(verified.exitCode).as(verified.stdout).isZero();
      assertThat(verified.stdout).as("systemd-analyze's complaints about %s", unit).isBlank();
    }
  }

  @Test
  void imageEntrypointAndHealthcheckWorkOnTheImagesFileLayout() throws Exception {
    ImageLayout image = ImageLayout.read(REPOSITORY.resolve("Dockerfile"));
    Path root = Files.createDirectories(work.resolve("image"));
    Path dataDir = root.resolve("var/lib/grok");
    Files.createDirectories(dataDir);
    // The image's /opt/grok is the release tree plus docker/healthcheck in bin/.
    Files.copy(REPOSITORY.resolve("docker/healthcheck"), release.resolve("bin/healthcheck"));
    Map<String, String> paths = Map.of("/opt/grok", release.toString(), "/var/lib/grok", dataDir.toString());
    int adminPort = FreePort.find();
    int tcpLow = FreePort.findRange(2);
    Map<String, String> env = new java.util.LinkedHashMap<>(image.env(paths, tools.toString()));
    // What `docker run -e ...` would add: ports that are free here, loopback only.
    env.put("GROK_BIND", "127.0.0.1");
    env.put("GROK_HTTP_PORT", String.valueOf(FreePort.find()));
    env.put("GROK_TUNNEL_PORT", String.valueOf(FreePort.find()));
    env.put("GROK_ADMIN_PORT", String.valueOf(adminPort));
    env.put("GROK_TCP_PORTS", tcpLow + "-" + (tcpLow + 1));
    List<String> healthcheck = image.healthcheck(paths);
    assertThat(run(healthcheck, env).exitCode).as("healthcheck before the server runs").isNotZero();

    JavaProcess.Builder builder = noJdk(JavaProcess.builder("image-entrypoint"))
        .executable(Path.of(image.entrypoint(paths).getFirst()))
        .workingDirectory(Path.of(ImageLayout.map(image.workdir(), paths)));
    env.forEach(builder::env);
    try (GrokProcess server = GrokProcess.start(builder)) {
      server.awaitHealthy(adminPort, START_TIMEOUT);

      Result healthy = run(healthcheck, env);

      assertThat(healthy.exitCode).as(healthy.stdout).isZero();
      assertThat(dataDir.resolve("admin.token")).as("the admin token in the data volume").isRegularFile();
    }
  }

  @Test
  void installTextNamesThisVersionAndTheExitStatuses() throws IOException {
    String install = Files.readString(release.resolve("INSTALL"));

    assertThat(install).contains(release.getFileName().toString()).doesNotContain("@VERSION@");
    assertThat(install).contains("5 tunnel stopped by the server's administrator");
  }
}

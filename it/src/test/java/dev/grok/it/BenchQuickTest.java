package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.process.JavaProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench/run --quick} as CI runs it, so that the side-by-side benchmark never rots: it must start nginx,
 * {@code ssh -R} and grok (the launcher jars this build just packaged in {@code cli/target}, never a second Maven
 * build), measure every row and print the Markdown table with a grok column of figures. Nothing about speed is
 * asserted: speed is judged from the table, not by a timed test.
 *
 * <p>Needs the tools {@code .ci/run} installs (nginx, wrk, hey, sshd, iperf3, curl); fails, never skips, when
 * they or the jars are missing.
 */
@Timeout(360)
class BenchQuickTest {
  /** Quick mode takes about a minute on a quiet 2-core machine; a loaded one gets a generous bound. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  /** A figure as bench/run prints it: 4,608 or 0.773 or 85. */
  private static final String NUMBER = "[0-9][0-9,]*(\\.[0-9]+)?";

  @TempDir
  Path tmp;

  @Test
  void quickRunPrintsTheTableWithFiguresForGrok() throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
    Path script = root.resolve("bench/run");
    Path serverJar = root.resolve("cli/target/grok-server.jar");
    Path clientJar = root.resolve("cli/target/grok.jar");
    assertThat(script).isExecutable();
    assertThat(serverJar).as("the server launcher jar (built by the cli module's package phase)").isRegularFile();
    assertThat(clientJar).as("the client launcher jar (built by the cli module's package phase)").isRegularFile();

    Path stdout = tmp.resolve("stdout.md");
    Path stderr = tmp.resolve("stderr.log");
    ProcessBuilder pb = new ProcessBuilder(script.toString(), "--quick")
        .directory(root.toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> env = pb.environment();
    env.put("GROK_SERVER_JAR", serverJar.toString());
    env.put("GROK_CLIENT_JAR", clientJar.toString());
    env.put("GROK_JAVA", JavaProcess.javaExecutable());
    env.put("TMPDIR", tmp.toString());
    Process run = pb.start();
    boolean exited = run.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!exited) {
      run.toHandle().destroy(); // SIGTERM: bench/run stops everything it started
      if (!run.waitFor(20, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    String context = "\n--- stdout\n" + out + "\n--- stderr (end)\n" + tail(err, 4000);

    assertThat(exited).as("bench/run --quick finished within " + RUN_TIMEOUT + context).isTrue();
    assertThat(run.exitValue()).as("exit code of bench/run --quick" + context).isZero();
    List<String> lines = out.lines().toList();
    String header = lines.stream().filter(l -> l.startsWith("| metric |")).findFirst().orElse(null);
    assertThat(header).as("table header" + context).isNotNull();
    assertThat(cells(header)).as("columns" + context)
        .startsWith("metric", "direct", "nginx", "ssh -R", "grok");
    int grok = cells(header).indexOf("grok");
    for (String row : List.of("1 KiB GET, 50 conns: req/s", "1 KiB GET, 50 conns: p99 (ms)",
        "proxy/tunnel CPU per request, 50 conns (µs)", "100 MiB download (MiB/s)", "100 MiB upload (MiB/s)",
        "RSS after the run, server side (MiB)")) {
      String quickRow = row.replace("100 MiB", "10 MiB");
      List<String> cells = lines.stream().filter(l -> l.startsWith("| " + quickRow + " |")).findFirst()
          .map(BenchQuickTest::cells).orElse(null);
      assertThat(cells).as("row '" + quickRow + "'" + context).isNotNull();
      assertThat(cells.get(grok)).as("grok's figure in row '" + quickRow + "'" + context).matches(NUMBER);
    }
  }

  private static List<String> cells(String row) {
    String inner = row.strip();
    inner = inner.substring(1, inner.length() - 1);
    return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
  }

  private static String tail(String s, int chars) {
    return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
  }
}

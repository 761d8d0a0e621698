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
 * {@code ssh -R}, socat and grok (the launcher jars this build just packaged in {@code cli/target}, never a second
 * Maven build), measure every row and print the Markdown tables with figures for grok: the main table, one TCP
 * stream next to a socat hop, the concurrency sweep, the start times through {@code bin/} and the warm-up of a fresh
 * tunnel. Nothing about speed is asserted: speed is judged from the tables, not by a timed test.
 *
 * <p>Needs the tools {@code .ci/run} installs (nginx, wrk, hey, sshd, iperf3, socat, curl; not gnuplot: a quick
 * run draws its PNGs only when gnuplot is there); fails, never skips, when they or the jars are missing.
 */
@Timeout(360)
class BenchQuickTest {
  /** Quick mode takes about two minutes on a quiet 2-core machine; a loaded one gets a generous bound. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  /** A figure as bench/run prints it: 4,608 or 0.773 or 85. */
  private static final String NUMBER = "[0-9][0-9,]*(\\.[0-9]+)?";
  /** A start time: median (min–max) in milliseconds, e.g. 1,480 (1,402–1,610). */
  private static final String MEDIAN_RANGE = NUMBER + " \\(" + NUMBER + "–" + NUMBER + "\\)";

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

    List<String> tcp = rowAfter(lines, "| metric | direct | socat hop | ssh -R | grok tcp |", "| Gbit/s |", context);
    assertThat(tcp.subList(1, 5)).as("Gbit/s of direct, socat, ssh -R, grok tcp" + context)
        .allMatch(c -> c.matches(NUMBER));

    List<String> sweepHeader = cells(lines.stream().filter(l -> l.startsWith("| conns |")).findFirst().orElseThrow(
        () -> new AssertionError("sweep table header" + context)));
    int sweepGrok = sweepHeader.indexOf("grok req/s");
    int sweepGrokP99 = sweepHeader.indexOf("grok p99 (ms)");
    for (String conns : List.of("1", "50")) {
      List<String> point = lines.stream().filter(l -> l.startsWith("| " + conns + " |")).findFirst()
          .map(BenchQuickTest::cells).orElse(null);
      assertThat(point).as("sweep row at " + conns + " connections" + context).isNotNull();
      assertThat(List.of(point.get(sweepGrok), point.get(sweepGrokP99)))
          .as("grok's req/s and p99 at " + conns + " connections" + context).allMatch(c -> c.matches(NUMBER));
    }

    for (String side : List.of("| server healthy", "| client ready")) {
      List<String> start = lines.stream().filter(l -> l.startsWith(side)).findFirst().map(BenchQuickTest::cells)
          .orElse(null);
      assertThat(start).as("start row '" + side + "'" + context).isNotNull();
      assertThat(start.get(1)).as("bin/ launchers' start time, '" + side + "'" + context).matches(MEDIAN_RANGE);
    }

    List<String> warmup = rowAfter(lines, "| first 1 s of load: req/s |", "|", context);
    assertThat(warmup.subList(0, 2)).as("warm-up: first window and steady state req/s" + context)
        .allMatch(c -> c.matches(NUMBER));
  }

  /** The cells of the first line starting with {@code prefix} after the line starting with {@code header}. */
  private static List<String> rowAfter(List<String> lines, String header, String prefix, String context) {
    int at = -1;
    for (int i = 0; i < lines.size() && at < 0; i++) {
      if (lines.get(i).startsWith(header)) {
        at = i;
      }
    }
    assertThat(at).as("table '" + header + "'" + context).isNotNegative();
    return lines.stream().skip(at + 2).filter(l -> l.startsWith(prefix)).findFirst().map(BenchQuickTest::cells)
        .orElseThrow(() -> new AssertionError("row '" + prefix + "' under '" + header + "'" + context));
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

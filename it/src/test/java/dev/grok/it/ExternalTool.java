package dev.grok.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool (curl, h2load) to completion with a bound, capturing its output in files so that a
 * chatty tool never blocks on a full pipe.
 *
 * @param exitCode the tool's exit status
 * @param stdout what it printed on stdout
 * @param stderr what it printed on stderr
 */
record ExternalTool(int exitCode, String stdout, String stderr) {

  static ExternalTool run(Duration timeout, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("grok-tool", ".out");
    Path err = Files.createTempFile("grok-tool", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(command.get(0) + " did not finish within " + timeout + ": " + command
            + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new ExternalTool(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Starts the tool without waiting (e.g. a load run the test releases); output goes to the given files. */
  static Process start(List<String> command, Path out, Path err) throws IOException {
    return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
  }
}

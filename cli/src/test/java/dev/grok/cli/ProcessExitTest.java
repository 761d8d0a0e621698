package dev.grok.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real child JVMs: a signal closes gracefully and exits 0; the program's own exit keeps its status. */
class ProcessExitTest {
  private Process child;

  private BufferedReader start(String mode) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ProcessExitFixture.class.getName(), mode)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  @AfterEach
  void stopChild() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  @Test
  void sigtermRunsCloseAndExitsZero() throws Exception {
    BufferedReader out = start("wait");
    assertThat(out.readLine()).isEqualTo("ready");

    child.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout

    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out.readLine()).isEqualTo("closed");
    assertThat(child.exitValue()).isZero();
  }

  @Test
  void programExitKeepsItsStatusAndStillCloses() throws Exception {
    BufferedReader out = start("exit");
    assertThat(out.readLine()).isEqualTo("ready");

    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out.readLine()).isEqualTo("closed");
    assertThat(child.exitValue()).isEqualTo(3);
  }
}

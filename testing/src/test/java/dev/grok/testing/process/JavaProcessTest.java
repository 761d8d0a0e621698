package dev.grok.testing.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaProcessTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  static JavaProcess.Builder fake(String... steps) {
    return JavaProcess.builder("fake")
        .mainClass(FakeLauncher.class.getName(), System.getProperty("java.class.path"))
        .args(steps);
  }

  @Test
  void awaitsAStdoutLineAndTheExitCode() {
    try (JavaProcess process = fake("out:one", "err:on stderr", "out:two", "exit:3").start()) {
      assertThat(process.awaitStdoutLine(line -> line.startsWith("t"), TIMEOUT)).isEqualTo("two");
      assertThat(process.awaitExit(TIMEOUT)).isEqualTo(3);
      assertThat(process.stdoutLines()).containsExactly("one", "two");
      assertThat(process.stderrLines()).contains("on stderr");
      assertThat(process.command()).contains("--enable-native-access=ALL-UNNAMED");
    }
  }

  @Test
  void passesEnvironmentAndWorkingDirectory(@TempDir Path dir) throws Exception {
    try (JavaProcess process = fake("env:GROK_TEST_VALUE", "cwd").env("GROK_TEST_VALUE", "v1")
        .workingDirectory(dir).start()) {
      assertThat(process.awaitExit(TIMEOUT)).isZero();
      assertThat(process.stdoutLines()).containsExactly("v1", dir.toRealPath().toString());
    }
  }

  @Test
  void failedWaitCarriesTheOutputSoFar() {
    try (JavaProcess process = fake("out:hello", "wait").start()) {
      process.awaitStdoutLine("hello"::equals, TIMEOUT);

      assertThatThrownBy(() -> process.awaitStdoutLine("never"::equals, Duration.ofMillis(200)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("timed out")
          .hasMessageContaining("hello");
    }
  }

  @Test
  void waitForALineEndsWhenTheProcessEndsWithoutIt() {
    try (JavaProcess process = fake("out:bye", "exit:0").start()) {
      long start = System.nanoTime();

      assertThatThrownBy(() -> process.awaitStdoutLine("never"::equals, TIMEOUT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("stdout ended");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
    }
  }

  @Test
  void sigtermRunsShutdownHooksAndExits() {
    try (JavaProcess process = fake("wait").start()) {
      process.awaitStdoutLine("waiting"::equals, TIMEOUT);
      int from = process.stdoutLineCount();

      process.sendSigterm();

      assertThat(process.awaitExit(TIMEOUT)).isEqualTo(143);
      assertThat(process.awaitStdoutLine(from, "stopping"::equals, TIMEOUT)).isEqualTo("stopping");
    }
  }

  @Test
  void closeKillsALiveProcess() {
    JavaProcess process = fake("out:ready", "wait").start();
    process.awaitStdoutLine("ready"::equals, TIMEOUT);

    process.close();

    assertThat(process.isAlive()).isFalse();
    assertThat(process.stdoutLines()).doesNotContain("stopping");
  }

  @Test
  void awaitExitFailsWhileTheProcessRuns() {
    try (JavaProcess process = fake("out:ready", "wait").start()) {
      assertThatThrownBy(() -> process.awaitExit(Duration.ofMillis(200)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("still running");
    }
  }

  @Test
  void startFailsWithoutSomethingToRun() {
    assertThatThrownBy(() -> JavaProcess.builder("empty").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected: jar(...), mainClass(...) or executable(...)");
    assertThat(Files.isExecutable(Path.of(JavaProcess.javaExecutable()))).isTrue();
  }
}

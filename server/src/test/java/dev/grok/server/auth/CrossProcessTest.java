package dev.grok.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.testing.db.DatabaseBackend;
import dev.grok.testing.db.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The server's store and the {@code token} CLI as two real JVMs on one database (SQLite file or PostgreSQL). */
@ParameterizedClass(name = "[{0}]")
@EnumSource(DatabaseBackend.class)
class CrossProcessTest {
  private static final long PROCESS_TIMEOUT_SECONDS = 60;

  @Parameter DatabaseBackend backend;
  @TempDir Path dataDir;
  @TempDir Path outputDir;
  private TestDatabase db;

  @BeforeEach
  void database() {
    db = backend.fresh(dataDir);
  }

  @Test
  void cliInAnotherProcessCreatesAndRevokesWhileTheServerRuns() throws Exception {
    // Both start on a fresh database at once: the migrations race, and must not fail either side.
    Process create = start("create", "from-cli", "bob");
    try (TokenStore server = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password())) {
      List<String> created = awaitStdout(create);
      assertThat(created).hasSize(1); // like `token create`: stdout is one line, logs went to stderr
      String[] idAndToken = created.getFirst().split(" ");

      assertThat(server.authenticate(idAndToken[1])).map(TokenInfo::user).contains("bob");

      assertThat(awaitStdout(start("revoke", "from-cli"))).containsExactly("true");
      assertThat(server.revokedAmong(List.of(idAndToken[0]))).containsExactly(idAndToken[0]);
      assertThat(server.authenticate(idAndToken[1])).isEmpty();
    }
  }

  @Test
  void revocationInAnotherProcessEndsTheCachedEntryWithinTheTtlEvenWithoutAPoll() throws Exception {
    AtomicLong nanos = new AtomicLong();
    try (TokenStore server = TokenStore.open(db.dataDir(), db.url(), db.user(), db.password(), nanos::get)) {
      CreatedToken created = server.create("laptop", "alice");
      assertThat(server.authenticate(created.token())).isPresent(); // cached by this process

      assertThat(awaitStdout(start("revoke", created.id()))).containsExactly("true");
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(TokenStore.CACHE_TTL_MILLIS));

      assertThat(server.authenticate(created.token())).isEmpty();
    }
  }

  private Process start(String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        TokenCliProcess.class.getName(), dataDir.toString(), db.url() == null ? "-" : db.url(),
        db.user() == null ? "-" : db.user()));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile(outputDir, "stderr", ".txt");
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }

  private static List<String> awaitStdout(Process process) throws Exception {
    // The output is a line or two: it fits the pipe's buffer, so reading after the exit cannot deadlock.
    boolean exited = process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    assertThat(exited).as("process exited within %d s", PROCESS_TIMEOUT_SECONDS).isTrue();
    assertThat(process.exitValue()).isZero();
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
  }
}

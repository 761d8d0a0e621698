package dev.grok.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.client.ClientEnvironment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code grok --help} and the tunnel commands' help list the contract's exit statuses, 5 (stopped) included. */
class ClientHelpTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"", "http", "tcp", "serve"})
  void helpListsEveryExitStatusIncludingStoppedByTheAdministrator(String command) {
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

    Invocation run = Invocation.run(ClientMain.commandLine(new ClientEnvironment(Map.of(), dir, dir)), args);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Exit status");
    assertThat(run.out()).containsPattern("(?m)^ +3 +invalid or missing token");
    assertThat(run.out()).containsPattern("(?m)^ +4 +subdomain or port refused");
    assertThat(run.out()).containsPattern("(?m)^ +5 +tunnel stopped by the server's administrator");
  }
}

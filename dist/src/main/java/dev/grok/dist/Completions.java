package dev.grok.dist;

import dev.grok.cli.ClientMain;
import dev.grok.cli.ServerMain;
import dev.grok.cli.client.ClientEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes bash (and zsh, through bashcompinit) completion scripts for one launcher:
 * {@code Completions grok|grok-server OUT_FILE}. Run with the launcher's own shaded jar on the class path, so the
 * script covers exactly the subcommands and options that jar has.
 */
public final class Completions {
  private Completions() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: Completions grok|grok-server OUT_FILE");
      System.exit(2);
    }
    CommandLine commands = switch (args[0]) {
      case ClientMain.PROGRAM -> ClientMain.commandLine(ClientEnvironment.ofProcess());
      case ServerMain.PROGRAM -> ServerMain.commandLine(System.getenv());
      default -> throw new IllegalArgumentException("program: " + args[0] + " (expected: grok or grok-server)");
    };
    Path out = Path.of(args[1]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, AutoComplete.bash(args[0], commands), StandardCharsets.UTF_8);
  }
}

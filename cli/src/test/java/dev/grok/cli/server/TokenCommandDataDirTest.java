package dev.grok.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.Invocation;
import dev.grok.cli.ServerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite only, by nature: where {@code token} finds its data directory (flag, {@code GROK_DATA_DIR}, the YAML
 * file). The commands themselves run on both backends in {@link TokenCommandTest}.
 */
class TokenCommandDataDirTest {
  @TempDir
  Path dataDir;

  private Invocation token(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "token";
    System.arraycopy(args, 0, all, 1, args.length);
    return Invocation.run(ServerMain.commandLine(env), all);
  }

  private Invocation token(String... args) {
    return token(Map.of("GROK_DATA_DIR", dataDir.toString()), args);
  }

  @Test
  void dataDirFlagBeatsEnvironmentAndConfigFileIsRead() throws IOException {
    Path other = dataDir.resolve("other");
    Path yaml = dataDir.resolve("grok.yml");
    Files.writeString(yaml, "data-dir: " + other + "\nhttp-port: 8080\n");

    token(Map.of("GROK_DATA_DIR", dataDir.toString()), "create", "viaflag", "--data-dir", other.toString());
    token(Map.of("GROK_SERVER_CONFIG", yaml.toString()), "create", "viafile");

    Invocation list = token(Map.of(), "list", "--data-dir=" + other);
    assertThat(list.out()).contains("viaflag").contains("viafile");
    assertThat(token("list").out()).doesNotContain("viaflag");
  }
}

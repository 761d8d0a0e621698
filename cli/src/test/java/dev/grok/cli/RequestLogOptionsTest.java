package dev.grok.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.server.ServeCommand;
import dev.grok.server.ServerConfig;
import dev.grok.server.requestlog.RequestLogConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --request-log-retention} and {@code --request-log-max-age}. */
class RequestLogOptionsTest {
  private static ServerConfig parse(Map<String, String> env, String... args) {
    CommandLine root = ServerMain.commandLine(env);
    root.parseArgs(ServerMain.withDefaultCommand(root, args));
    ServeCommand serve = root.getSubcommands().get("serve").getCommand();
    return serve.toConfig();
  }

  @Test
  void defaultsAreAThousandPerTunnelForSevenDays() {
    assertThat(parse(Map.of()).requestLog()).isEqualTo(RequestLogConfig.DEFAULTS);
    assertThat(RequestLogConfig.DEFAULTS).isEqualTo(new RequestLogConfig(1000, Duration.ofDays(7)));
  }

  @Test
  void flagsAndEnvironmentSetThemAndZeroTurnsTheLogOff() {
    assertThat(parse(Map.of("GROK_REQUEST_LOG_MAX_AGE", "12h"), "--request-log-retention=50").requestLog())
        .isEqualTo(new RequestLogConfig(50, Duration.ofHours(12)));
    assertThat(parse(Map.of(), "--request-log-max-age", "90S").requestLog().maxAge()).hasSeconds(90);
    assertThat(parse(Map.of(), "--request-log-max-age", "30m").requestLog().maxAge()).hasMinutes(30);
    RequestLogConfig off = parse(Map.of(), "--request-log-retention", "0").requestLog();
    assertThat(off.enabled()).isFalse();
  }

  @Test
  void badValuesAreUsageErrorsThatSayWhatFits() {
    Invocation age = Invocation.run(ServerMain.commandLine(Map.of()), "--request-log-max-age", "7");
    assertThat(age.exitCode()).isEqualTo(2);
    assertThat(age.err()).contains("--request-log-max-age").contains("'7'").contains("such as 7d, 12h, 30m or 90s");
    Invocation zero = Invocation.run(ServerMain.commandLine(Map.of()), "--request-log-max-age", "0d");
    assertThat(zero.exitCode()).isEqualTo(2);
    Invocation negative = Invocation.run(ServerMain.commandLine(Map.of()), "--request-log-retention", "-1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).contains("--request-log-retention").contains(">= 0");
  }
}

package dev.grok.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.cli.server.ServeCommand;
import dev.grok.server.ServerConfig;
import dev.grok.server.Throttles;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.ratelimit.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options of the rate limit and the tunnel port's limits, and {@code token create --rate-limit}. */
class ThrottleOptionsTest {
  @TempDir
  Path dir;

  private static ServerConfig parse(Map<String, String> env, String... args) {
    CommandLine root = ServerMain.commandLine(env);
    root.parseArgs(ServerMain.withDefaultCommand(root, args));
    ServeCommand serve = root.getSubcommands().get("serve").getCommand();
    return serve.toConfig();
  }

  @Test
  void defaultsAreNoRateLimitAndTheTunnelPortLimitsOfTheDocs() {
    assertThat(parse(Map.of()).throttles()).isEqualTo(Throttles.DEFAULTS);
    assertThat(Throttles.DEFAULTS).isEqualTo(new Throttles(RateLimit.UNLIMITED, Duration.ofSeconds(10), 1000, 10,
        Duration.ofSeconds(300)));
  }

  @Test
  void flagsAndEnvironmentSetThem() {
    Throttles t = parse(Map.of("GROK_MAX_FAILED_AUTH", "3"), "--rate-limit", "50", "--rate-limit-burst=80",
        "--tunnel-auth-timeout", "4", "--max-unauthenticated-connections", "20", "--failed-auth-lockout", "60")
        .throttles();
    assertThat(t).isEqualTo(new Throttles(new RateLimit(50, 80), Duration.ofSeconds(4), 20, 3,
        Duration.ofSeconds(60)));
    assertThat(parse(Map.of(), "--rate-limit", "7").throttles().rateLimit()).isEqualTo(new RateLimit(7, 7));
  }

  @Test
  void badValuesAreUsageErrors() {
    Invocation run = Invocation.run(ServerMain.commandLine(Map.of()), "--tunnel-auth-timeout", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--tunnel-auth-timeout").contains(">= 1");
  }

  @Test
  void tokenCreateStoresItsRateLimitAndIgnoresTheServersDefault() {
    // GROK_RATE_LIMIT is the server's default for every tunnel: it must not become each new token's override.
    Map<String, String> env = Map.of("GROK_RATE_LIMIT", "99", "GROK_DATA_DIR", dir.toString());
    Invocation limited = Invocation.run(ServerMain.commandLine(env), "token", "create", "slow", "--rate-limit",
        "5", "--rate-limit-burst", "10");
    assertThat(limited.exitCode()).as(limited.err()).isZero();
    assertThat(limited.out().strip()).startsWith("grok_").doesNotContain("\n");
    Invocation plain = Invocation.run(ServerMain.commandLine(env), "token", "create", "plain");
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    Invocation open = Invocation.run(ServerMain.commandLine(env), "token", "create", "open", "--rate-limit", "0");
    assertThat(open.exitCode()).as(open.err()).isZero();

    try (TokenStore store = TokenStore.open(dir, null, null, null)) {
      Map<String, RateLimit> overrides = store.rateLimits().all();
      String slowId = store.list().stream().filter(t -> t.name().equals("slow")).findFirst().orElseThrow().id();
      String openId = store.list().stream().filter(t -> t.name().equals("open")).findFirst().orElseThrow().id();
      assertThat(overrides).containsOnlyKeys(slowId, openId);
      assertThat(overrides.get(slowId)).isEqualTo(new RateLimit(5, 10));
      assertThat(overrides.get(openId)).isEqualTo(RateLimit.UNLIMITED);
    }
  }
}

package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grok.testing.FreePort;
import dev.grok.testing.leak.LeakDetection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real protocol through a TCP tunnel: Debian's {@code redis-server} on a free loopback port (no persistence),
 * {@code grok tcp} to it, and {@code redis-cli} against the tunnel's public port. Fails, never skips, when the
 * Debian packages are missing ({@code .ci/run} installs them).
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class RedisThroughTcpTunnelTest {
  static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
  static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  static Path redisDir;
  /** The server; redis-server is this class's own set-up: a process it starts, awaits and stops. */
  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder().origin(OneTunnel.Origin.NONE).tcpPorts(5).build();
  static Process redis;
  static int redisPort;

  @BeforeAll
  static void start() throws Exception {
    assertThat(REDIS_SERVER).as("redis-server (apt-get install redis-server)").isExecutable();
    assertThat(REDIS_CLI).as("redis-cli (apt-get install redis-tools)").isExecutable();
    redisPort = FreePort.find();
    redis = new ProcessBuilder(REDIS_SERVER.toString(), "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", redisDir.toString())
        .redirectErrorStream(true)
        .redirectOutput(redisDir.resolve("redis.log").toFile())
        .start();
    awaitListening(redisPort);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (redis != null) {
      redis.destroy();
      if (!redis.waitFor(10, TimeUnit.SECONDS)) {
        redis.destroyForcibly();
      }
    }
  }

  private static void awaitListening(int port) {
    await("redis-server listening on " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          if (!redis.isAlive()) {
            throw new AssertionError("redis-server exited:\n" + Files.readString(redisDir.resolve("redis.log")));
          }
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
          } catch (IOException notYet) {
            return false;
          }
        });
  }

  /** Runs {@code redis-cli -h 127.0.0.1 -p PORT ARGS...}; returns its stdout, trimmed. */
  private static String redisCli(int port, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(REDIS_CLI.toString(), "-h", "127.0.0.1", "-p",
        String.valueOf(port)));
    command.addAll(List.of(args));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("redis-cli exits").isTrue();
    assertThat(cli.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void redisCliSetsAndGetsThroughTheTunnel() throws Exception {
    try (TestClient client = TestClient.startTcp(tunnel.server(), tunnel.server().adminToken(),
        "127.0.0.1:" + redisPort, 0)) {
      int publicPort = TestTcp.portOf(client.awaitReady());

      assertThat(redisCli(publicPort, "SET", "grok:greeting", "hello through the tunnel")).isEqualTo("OK");
      assertThat(redisCli(publicPort, "GET", "grok:greeting")).isEqualTo("hello through the tunnel");
      // and the value really is in the local redis, not somewhere else
      assertThat(redisCli(redisPort, "GET", "grok:greeting")).isEqualTo("hello through the tunnel");
    }
  }
}

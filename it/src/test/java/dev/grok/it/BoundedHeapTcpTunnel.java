package dev.grok.it;

import dev.grok.client.ClientConfig;
import dev.grok.client.ClientListener;
import dev.grok.client.GrokClient;
import dev.grok.server.GrokServer;
import dev.grok.server.ServerConfig;
import dev.grok.testing.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A whole TCP tunnel (server, {@code grok tcp} client, local echo service) in one small JVM, for
 * {@link TcpGibibyteTransferTest} to run with a tiny heap. Prints {@code READY PUBLIC_PORT} on stdout once the
 * tunnel is live, then serves until SIGTERM, when it stops everything and prints {@code STOPPED}.
 */
public final class BoundedHeapTcpTunnel {
  private BoundedHeapTcpTunnel() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Files.createTempDirectory("grok-bounded-heap-tcp");
    int low = FreePort.findRange(3);
    GrokServer server = GrokServer.start(TestServer.withTcpPorts(ServerConfig.forTests(dataDir), low, low + 2));
    LocalTcpService echo = LocalTcpService.echo();
    String token = Files.readString(dataDir.resolve("admin.token"), StandardCharsets.UTF_8).strip();
    CompletableFuture<String> ready = new CompletableFuture<>();
    GrokClient client = GrokClient.start(ClientConfig.tcp("127.0.0.1", server.tunnelPort(), token,
        ClientConfig.LocalTarget.parseTcp(echo.hostAndPort()), 0), new ClientListener() {
          @Override
          public void onReady(String publicUrl, String localUrl) {
            ready.complete(publicUrl);
          }

          @Override
          public void onReconnecting(Duration delay, String reason) {}

          @Override
          public void onFatal(int exitCode, String message) {
            ready.completeExceptionally(new IllegalStateException(exitCode + ": " + message));
          }
        });
    String publicUrl = ready.get(60, TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      client.close();
      server.close();
      echo.close();
      System.out.println("STOPPED");
      System.out.flush();
      stopped.countDown();
    }));
    System.out.println("READY " + TestTcp.portOf(publicUrl));
    System.out.flush();
    stopped.await();
  }
}

package dev.grok.it;

import dev.grok.client.ClientConfig;
import dev.grok.client.ClientListener;
import dev.grok.client.GrokClient;
import dev.grok.server.GrokServer;
import dev.grok.server.ServerConfig;
import dev.grok.testing.origin.LocalHttpOrigin;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A whole tunnel (server, client, origin) in one small JVM, for {@link GibibyteTransferTest} to run with a tiny
 * heap; with arguments {@code serve DIR} the client serves DIR instead ({@link ServeLargeFileTest}). Prints
 * {@code READY HTTP_PORT HOST} on stdout once the tunnel {@code gib} is live, then serves until
 * SIGTERM, when it stops everything and prints {@code STOPPED peakHeapBytes=N}.
 */
public final class BoundedHeapTunnel {
  static final String NAME = "gib";

  private BoundedHeapTunnel() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Files.createTempDirectory("grok-bounded-heap");
    // The upload's answer comes only after its last byte: on a machine loaded by parallel builds 1 GiB has been
    // measured at 7 MiB/s (146 s), past the default 60 s response timeout, which then cut it with a 504.
    GrokServer server = GrokServer.start(ServerConfig.forTests(dataDir).withResponseTimeout(Duration.ofMinutes(4)));
    LocalHttpOrigin origin = LocalHttpOrigin.start();
    String token = Files.readString(dataDir.resolve("admin.token"), StandardCharsets.UTF_8).strip();
    CompletableFuture<String> ready = new CompletableFuture<>();
    ClientConfig config = new ClientConfig("127.0.0.1", server.tunnelPort(), token,
        ClientConfig.LocalTarget.parse(origin.hostAndPort()), NAME, "rewrite");
    if (args.length == 2 && args[0].equals("serve")) {
      config = config.withServe(new ClientConfig.ServeOptions(Path.of(args[1]), true, null, false));
    }
    GrokClient client = GrokClient.start(config, new ClientListener() {
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
    ready.get(60, TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      client.close();
      server.close();
      origin.close();
      System.out.println("STOPPED peakHeapBytes=" + peakHeapBytes());
      System.out.flush();
      stopped.countDown();
    }));
    System.out.println("READY " + server.httpPort() + " " + NAME + ".localhost:" + server.httpPort());
    System.out.flush();
    // Serves until SIGTERM; the hook above does the rest.
    stopped.await();
  }

  private static long peakHeapBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}

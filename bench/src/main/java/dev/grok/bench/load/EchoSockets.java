package dev.grok.bench.load;

import dev.grok.common.EventLoops;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The soak's few long-lived WebSockets: echo number i goes to socket i modulo their count. A socket found closed
 * is reopened (its echoes until then fail and count as errors: a long-lived socket must not be closed).
 */
final class EchoSockets {
  private final EventLoops loops;
  private final InetSocketAddress edge;
  private final URI uri;
  /** The sockets; a slot holds the previous (closed) socket while its replacement opens. */
  private final AtomicReferenceArray<EchoSocket> sockets;
  /** Per slot: true while a replacement is opening. */
  private final AtomicReferenceArray<Boolean> reopening;
  private final AtomicInteger reopened = new AtomicInteger();

  private EchoSockets(EventLoops loops, InetSocketAddress edge, URI uri, int count) {
    this.loops = loops;
    this.edge = edge;
    this.uri = uri;
    this.sockets = new AtomicReferenceArray<>(count);
    this.reopening = new AtomicReferenceArray<>(count);
  }

  /** Opens {@code count} sockets and waits for their handshakes (30 s); throws when one fails. */
  static EchoSockets open(EventLoops loops, InetSocketAddress edge, URI uri, int count)
      throws Exception {
    EchoSockets s = new EchoSockets(loops, edge, uri, count);
    for (int i = 0; i < count; i++) {
      s.sockets.set(i, s.connect().get(30, TimeUnit.SECONDS));
      s.reopening.set(i, false);
    }
    return s;
  }

  private CompletableFuture<EchoSocket> connect() {
    return EchoSocket.open(loops.group(), loops.channelType(), edge, null, uri);
  }

  /** Sends echo number {@code n}; its outcome is counted in {@code stats}. Any thread. */
  void echo(long n, String text, long intendedNanos, LoadStats stats) {
    int slot = (int) (n % sockets.length());
    EchoSocket s = sockets.get(slot);
    if (!s.isOpen() && reopening.compareAndSet(slot, false, true)) {
      connect().whenComplete((fresh, error) -> {
        if (fresh != null) {
          sockets.set(slot, fresh);
          reopened.incrementAndGet();
        } else {
          System.err.println("[load] reopening WebSocket " + slot + " failed: " + error);
        }
        reopening.set(slot, false);
      });
    }
    s.echo(text, intendedNanos, (intended, failure) -> {
      if (failure == null) {
        stats.ok(Kind.ECHO, intended);
      } else {
        stats.failed(Kind.ECHO, intended, "WebSocket " + slot + ": " + failure);
      }
    });
  }

  int reopened() {
    return reopened.get();
  }
}

package dev.grok.client;

import dev.grok.client.files.FileResponder;
import dev.grok.client.forward.Forwarder;
import dev.grok.client.forward.ExchangeObserver;
import dev.grok.client.forward.HostRule;
import dev.grok.client.forward.LocalHttpForwarder;
import dev.grok.client.forward.LocalTcpForwarder;
import dev.grok.client.session.ControlSession;
import dev.grok.common.EventLoops;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code grok http}, {@code grok tcp} or {@code grok serve}: a {@link ControlSession} with the tunnel
 * server and what answers its exchanges (a {@link LocalHttpForwarder} to the local HTTP service, a {@link LocalTcpForwarder}
 * to a local TCP service, or a {@link FileResponder} for a directory), all on one small event-loop group shared by
 * gRPC and the local connections.
 */
public final class GrokClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrokClient.class);

  /**
   * Event loops of the client. The gRPC connection and the local connections of its exchanges share one loop (an
   * exchange never changes thread); the other may carry the session's timers and, after a reconnect, the new
   * connection while the old one drains.
   */
  static final int EVENT_LOOP_THREADS = 2;
  /** How long close() waits for everything to be down. */
  static final long CLOSE_TIMEOUT_MILLIS = 2_000;

  private final EventLoops loops;
  private final Forwarder forwarder;
  private final ControlSession session;
  private final CompletableFuture<Integer> terminated = new CompletableFuture<>();
  private final AtomicBoolean tornDown = new AtomicBoolean();

  private GrokClient(EventLoops loops, Forwarder forwarder, ControlSession session) {
    this.loops = loops;
    this.forwarder = forwarder;
    this.session = session;
  }

  /** Connects in the background (retrying network failures forever) and reports through {@code listener}. */
  public static GrokClient start(ClientConfig config, ClientListener listener) {
    return start(config, listener, ExchangeObserver.Factory.NONE);
  }

  /**
   * Like {@link #start(ClientConfig, ClientListener)}, with an observer of every exchange (the inspector): HTTP
   * requests, the requests a directory answers, and TCP connections alike.
   */
  public static GrokClient start(ClientConfig config, ClientListener listener, ExchangeObserver.Factory observers) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(listener, "listener");
    if (config.spec() instanceof TunnelSpec.Http http) {
      Objects.requireNonNull(http.target(), "config.spec.target");
    }
    EventLoops loops = EventLoops.create("grok-client", EVENT_LOOP_THREADS);
    try {
      Forwarder forwarder = responder(config, loops, observers);
      ControlSession session = new ControlSession(config, listener, loops, forwarder);
      GrokClient client = new GrokClient(loops, forwarder, session);
      // stopped() completes on the session loop, which teardown shuts down: teardown runs on its own thread.
      session.stopped().whenComplete((code, error) ->
          Thread.ofPlatform().name("grok-client-teardown").start(() -> client.teardown(code == null ? 1 : code)));
      session.start();
      return client;
    } catch (RuntimeException e) {
      loops.close();
      throw e;
    }
  }

  private static Forwarder responder(ClientConfig config, EventLoops loops, ExchangeObserver.Factory observers) {
    return switch (config.spec()) {
      case TunnelSpec.Serve serve -> new FileResponder(loops, serve.options(), observers);
      case TunnelSpec.Tcp tcp -> new LocalTcpForwarder(loops, tcp.target().host(), tcp.target().port(), observers);
      case TunnelSpec.Http http -> new LocalHttpForwarder(loops, http.target().host(), http.target().port(),
          "https".equals(http.target().scheme()), new HostRule(http.hostHeader(), http.target().hostHeader()),
          observers);
    };
  }

  /** The forwarder to the local HTTP service (the inspector replays requests through it); null for tcp and serve. */
  public LocalHttpForwarder forwarder() {
    return forwarder instanceof LocalHttpForwarder local ? local : null;
  }

  /** Completes with the exit code when the client stops for good (a fatal error or {@link #close()}: 0). */
  public CompletableFuture<Integer> terminated() {
    return terminated;
  }

  /**
   * Ends the tunnel at once (the server drops it when the control stream ends, so the public URL answers 404
   * within two seconds) and disconnects. Blocks for at most about two seconds, except when called from one of the
   * client's own event loops (a listener callback), where it returns at once and {@link #terminated()} tells the
   * end.
   */
  @Override
  public void close() {
    session.close();
    if (inOwnLoop()) {
      return;
    }
    try {
      terminated.get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("client did not stop within {} ms", CLOSE_TIMEOUT_MILLIS);
    }
  }

  private void teardown(int exitCode) {
    if (!tornDown.compareAndSet(false, true)) {
      return;
    }
    try {
      session.awaitChannelTermination(Duration.ofMillis(500));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    forwarder.close();
    loops.close();
    terminated.complete(exitCode);
  }

  private boolean inOwnLoop() {
    for (EventExecutor e : loops.group()) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}

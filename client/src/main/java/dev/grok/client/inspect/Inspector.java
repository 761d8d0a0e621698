package dev.grok.client.inspect;

import dev.grok.client.ClientListener;
import dev.grok.client.forward.ExchangeObserver;
import dev.grok.client.forward.LocalHttpForwarder;
import dev.grok.client.forward.LocalReplay;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.internal.PlatformDependent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request inspector's state: the exchange log, the metrics and the tunnel's status, all owned by one event
 * loop of its own (which also runs the {@link InspectorServer}). Exchanges reach it as snapshots handed over from
 * the tunnel's loops through a bounded count of pending hand-overs: when the inspector falls behind, snapshots are
 * dropped (and counted), the tunnel never waits. Hand-overs are queued and taken in batches, at most
 * {@link #HAND_OVER_DELAY_MILLIS} after the first of a batch: one wake-up of the inspector's loop per batch instead
 * of one per snapshot (three per exchange).
 */
public final class Inspector implements ExchangeObserver.Factory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Inspector.class);

  /** Exchanges kept. */
  public static final int DEFAULT_CAPACITY = 500;
  /** Bytes of each body kept (request and response alike). */
  public static final int DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
  /** Bytes of captured bodies the kept exchanges hold at most (older ones go first; see {@link ExchangeLog}). */
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
  /** Hand-overs to the inspector's loop not yet run; beyond this, snapshots are dropped. */
  static final int MAX_PENDING_SNAPSHOTS = 10_000;
  /** Body bytes those hand-overs may hold at once; beyond this, snapshots are dropped too (10,000 could be 1.2 GiB). */
  static final long MAX_PENDING_BODY_BYTES = 8L * 1024 * 1024;
  /**
   * Body bytes the captures of exchanges still in progress may hold at once (see {@link BodyBuffer}); beyond this a
   * body is captured no further. With the two budgets above, this bounds the inspector's share of the client's heap
   * (bin/lib/jvm.bash sets its -Xmx) whatever the number of exchanges in flight.
   */
  static final long MAX_CAPTURING_BODY_BYTES = 8L * 1024 * 1024;
  /**
   * How long a snapshot may wait for the batch that takes it to the inspector's loop. Waking that loop for each
   * snapshot cost the client up to ~10 more syscalls and ~30% more CPU per small request when the loop slept
   * between snapshots (eventfd write and read, epoll wait, futex: BENCHMARKS.md, 2026-12-06); a batch every 10 ms
   * is at most 100 wake-ups a second, and 10 ms is not seen on a page that redraws as events arrive.
   */
  static final long HAND_OVER_DELAY_MILLIS = 10;

  private final String localUrl;
  private final int bodyLimitBytes;
  private final int capacity;
  private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong pendingBodyBytes = new AtomicLong();
  /** Bytes reserved by the body captures of the exchanges in progress, up to {@link #MAX_CAPTURING_BODY_BYTES}. */
  private final AtomicLong capturingBodyBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** Snapshots published and not yet taken by {@link #takeHandOvers}: many producers (tunnel loops), one consumer. */
  private final Queue<CapturedExchange> handOvers = PlatformDependent.newMpscQueue();
  /** A {@link #takeHandOvers} is scheduled and has not started yet: a publish then only queues. */
  private final AtomicBoolean takeScheduled = new AtomicBoolean();
  /** Replays started but not yet seen by {@link #open}: the negative exchange id to the replayed exchange's id. */
  private final Map<Long, Long> replays = new ConcurrentHashMap<>();

  // Owned by loop.
  private final ExchangeLog exchanges;
  private final ClientMetrics metrics = new ClientMetrics();
  /** Gets every snapshot kept (the event stream); null when nobody listens. */
  private Consumer<CapturedExchange> subscriber;
  /** The public URL {@link #tunnelName} was taken from, and that name; null until the first finished exchange. */
  private String tunnelNameOf;
  private String tunnelName;

  private volatile boolean connected;
  /** Null until the tunnel was ready once. */
  private volatile String publicUrl;
  /** Null until {@link #replayTo}. */
  private volatile LocalHttpForwarder forwarder;

  public Inspector(String localUrl) {
    this(localUrl, DEFAULT_CAPACITY, DEFAULT_BODY_LIMIT_BYTES);
  }

  public Inspector(String localUrl, int capacity, int bodyLimitBytes) {
    if (bodyLimitBytes < 0) {
      throw new IllegalArgumentException("bodyLimitBytes: " + bodyLimitBytes + " (expected: >= 0)");
    }
    this.localUrl = Objects.requireNonNull(localUrl, "localUrl");
    this.capacity = capacity;
    this.bodyLimitBytes = bodyLimitBytes;
    this.exchanges = new ExchangeLog(capacity, DEFAULT_MAX_BODY_BYTES);
  }

  /** Called on the exchange's loop for every exchange the forwarder starts. */
  @Override
  public ExchangeObserver open(long exchangeId) {
    Long replayOf = exchangeId < 0 ? replays.remove(exchangeId) : null;
    long id = exchangeId < 0 && replayOf != null ? -exchangeId : ids.incrementAndGet();
    return new ExchangeCapture(this, id, replayOf == null ? 0 : replayOf);
  }

  /** A body capture for an exchange in progress, its array's bytes reserved from the shared budget. */
  BodyBuffer bodyBuffer() {
    return new BodyBuffer(bodyLimitBytes, capturingBodyBytes, MAX_CAPTURING_BODY_BYTES);
  }

  /** {@code delegate} plus keeping the inspector's status (connected, public URL) up to date. */
  public ClientListener listener(ClientListener delegate) {
    return new ClientListener() {
      @Override
      public void onReady(String url, String local) {
        publicUrl = url;
        connected = true;
        delegate.onReady(url, local);
      }

      @Override
      public void onReconnecting(Duration delay, String reason) {
        connected = false;
        delegate.onReconnecting(delay, reason);
      }

      @Override
      public void onFatal(int exitCode, String message) {
        connected = false;
        delegate.onFatal(exitCode, message);
      }
    };
  }

  /** Lets {@link #replay} send requests through {@code f}. */
  public void replayTo(LocalHttpForwarder f) {
    this.forwarder = f;
  }

  /**
   * Replays a request to the local service; it shows up as a new exchange.
   *
   * @return the new exchange's id
   */
  long replay(long replayOf, String method, String uri, List<Map.Entry<String, String>> headers, byte[] body) {
    LocalHttpForwarder f = forwarder;
    if (f == null) {
      throw new IllegalStateException("replay is for grok http tunnels (this one relays TCP or serves a directory),"
          + " or the client is not running");
    }
    long id = ids.incrementAndGet();
    replays.put(-id, replayOf);
    LocalReplay.send(f, -id, method, uri, headers, body).whenComplete((v, e) -> replays.remove(-id));
    return id;
  }

  /**
   * From a capture, on a tunnel loop: hand the snapshot to our loop unless too many wait already. The first
   * snapshot of a batch schedules the batch's take; the others only join the queue.
   */
  void publish(CapturedExchange e) {
    long bytes = e.bodyBytes();
    int snapshots = pending.incrementAndGet();
    long held = pendingBodyBytes.addAndGet(bytes);
    if (snapshots > MAX_PENDING_SNAPSHOTS || (bytes > 0 && held > MAX_PENDING_BODY_BYTES)) {
      pending.decrementAndGet();
      pendingBodyBytes.addAndGet(-bytes);
      dropped.incrementAndGet();
      return;
    }
    handOvers.offer(e);
    // After the offer: a take that already cleared the flag polls this snapshot, or we schedule the next take.
    if (takeScheduled.compareAndSet(false, true)) {
      loop.schedule(this::takeHandOvers, HAND_OVER_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** On our loop: keeps every snapshot queued so far, in the order each exchange published them. */
  private void takeHandOvers() {
    takeScheduled.set(false); // before polling: a snapshot queued from now on schedules a take of its own
    CapturedExchange e;
    while ((e = handOvers.poll()) != null) {
      pending.decrementAndGet();
      pendingBodyBytes.addAndGet(-e.bodyBytes());
      keep(e);
    }
  }

  private void keep(CapturedExchange e) {
    if (!exchanges.put(e)) {
      return;
    }
    if (e.done()) {
      metrics.record(tunnelName(), e);
    }
    if (subscriber != null) {
      subscriber.accept(e);
    }
  }

  /** The subdomain of the public URL ({@code tcp-PORT} style names are the server's), {@code unknown} before. */
  String tunnelName() {
    String url = publicUrl;
    if (url == null) {
      return "unknown";
    }
    if (!url.equals(tunnelNameOf)) { // parsed once per public URL, not once per exchange
      String host = URI.create(url).getHost();
      int dot = host == null ? -1 : host.indexOf('.');
      tunnelName = dot > 0 ? host.substring(0, dot) : String.valueOf(host);
      tunnelNameOf = url;
    }
    return tunnelName;
  }

  /** A summary for the terminal view, read on the inspector's loop; null when it does not answer in time. */
  public TrafficSummary summary(int lastRequests) {
    try {
      return loop.submit(() -> TrafficSummary.of(exchanges.newestFirst(), lastRequests)).get(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  EventLoop loop() {
    return loop;
  }

  MultiThreadIoEventLoopGroup group() {
    return group;
  }

  ExchangeLog exchanges() {
    return exchanges;
  }

  ClientMetrics metrics() {
    return metrics;
  }

  void subscribe(Consumer<CapturedExchange> s) {
    this.subscriber = s;
  }

  public boolean connected() {
    return connected;
  }

  public String publicUrl() {
    return publicUrl;
  }

  public String localUrl() {
    return localUrl;
  }

  /** Bytes the captures of the exchanges in progress hold now (tests). */
  long capturingBodyBytes() {
    return capturingBodyBytes.get();
  }

  int bodyLimitBytes() {
    return bodyLimitBytes;
  }

  int capacity() {
    return capacity;
  }

  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    metrics.close();
    log.debug("inspector closed");
  }
}

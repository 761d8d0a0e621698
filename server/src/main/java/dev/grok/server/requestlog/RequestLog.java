package dev.grok.server.requestlog;

import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log: every finished exchange goes to the database (table {@code request_log}) off the hot path.
 *
 * <pre>
 * edge event loops --offer()--> bounded MPSC queue --one writer thread--> INSERT batches (one transaction each)
 *                     full: dropped, counted                               every PRUNE_INTERVAL: retention deletes
 * </pre>
 *
 * An exchange's end costs one small record and one lock-free queue offer on its loop; a full queue drops the entry
 * and counts it ({@code grok_request_log_dropped_total}), never blocking the loop. The single writer thread drains
 * the queue every {@value #WRITE_INTERVAL_MILLIS} ms (at once again while batches come out full) and, at most once
 * per {@value #PRUNE_INTERVAL_MILLIS} ms, deletes the rows beyond each written-to tunnel's newest
 * {@code retention} and the rows older than {@code maxAge}, so that pruning costs a bounded amount per interval
 * rather than a statement per insert. With retention 0 nothing is queued, written or pruned.
 */
public final class RequestLog implements AutoCloseable {
  /** A longer path is cut here (the log is for reading, not for replay); the column's width. */
  public static final int MAX_PATH_CHARS = 2048;
  /** Exchanges waiting for the writer; beyond it new ones are dropped (and counted). About 2 MB when full. */
  static final int QUEUE_CAPACITY = 16_384;
  /** Rows per insert transaction. */
  static final int BATCH_ROWS = 512;
  /** Batches one writer run inserts at most before it looks at pruning again. */
  static final int MAX_BATCHES_PER_RUN = 32;
  /** Pause of the writer between runs that found less than a full batch. */
  static final long WRITE_INTERVAL_MILLIS = 100;
  /** How often the retention deletes run. */
  static final long PRUNE_INTERVAL_MILLIS = 30_000;
  /** Rows one age delete removes at most; a prune repeats it {@value #MAX_AGE_CHUNKS_PER_PRUNE} times at most. */
  static final int AGE_DELETE_CHUNK = 10_000;
  static final int MAX_AGE_CHUNKS_PER_PRUNE = 10;

  private static final Logger log = LoggerFactory.getLogger(RequestLog.class);
  private static final long NEVER = Long.MIN_VALUE;

  /** One finished exchange as the edge hands it over: references only, converted to a row by the writer. */
  private record Pending(long atMillis, String tunnel, String owner, String method, String uri, int status,
      String error, long durationNanos, long bytesIn, long bytesOut, SocketAddress visitor) {}

  /** One page, newest first; {@code nextBefore} is the {@code before} of the next page, null on the last. */
  public record Page(List<LoggedRequest> requests, Long nextBefore) {}

  private final RequestLogRepository repository;
  private final RequestLogConfig config;
  private final LongSupplier clockMillis;
  /** Multi-producer (edge loops), single consumer (the writer); null when the log is off. */
  private final Queue<Pending> queue;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder writeFailures = new LongAdder();
  private final LongAdder written = new LongAdder();

  // ---- the writer's own state: its thread only (or the closing thread after the writer stopped) ----
  /** The current batch, reused. */
  private final List<RequestLogRepository.NewRow> batch = new ArrayList<>(BATCH_ROWS);
  /** Tunnels written to since the last prune: the count retention looks only at these. */
  private final Set<String> touched = new HashSet<>();
  /** False until a prune looked at every tunnel in the table (the first after a start, or after a failure). */
  private boolean prunedAll;
  private long lastPruneMillis = NEVER;
  /** Whether the last insert failed (a failure is logged once per streak). */
  private boolean failing;

  /** Null until {@link #start()}, and when the log is off. */
  private volatile ScheduledExecutorService writer;

  RequestLog(RequestLogRepository repository, RequestLogConfig config, LongSupplier clockMillis, int queueCapacity) {
    this.repository = repository;
    this.config = config;
    this.clockMillis = clockMillis;
    this.queue = config.enabled() ? PlatformDependent.newFixedMpscQueue(queueCapacity) : null;
  }

  /** The log on {@code dataSource} (migrated), with the system clock; call {@link #start()} to write. */
  public static RequestLog open(DataSource dataSource, RequestLogConfig config) {
    return new RequestLog(new RequestLogRepository(dataSource), config, System::currentTimeMillis, QUEUE_CAPACITY);
  }

  /** False with retention 0: then {@link #offer} must not be called (the observer skips it). */
  public boolean enabled() {
    return queue != null;
  }

  /**
   * Queues one finished exchange; never blocks (a full queue drops it and counts). Called on edge event loops: one
   * allocation, no string work (paths are cut and addresses formatted by the writer).
   *
   * @param owner the user who owns the tunnel (its rows stay in that user's scope after the tunnel ends)
   * @param error the error kind's label, null when the local service's answer went through
   * @param visitor the visitor's socket address, null when unknown
   */
  public void offer(String tunnel, String owner, String method, String uri, int status, String error,
      long durationNanos, long bytesIn, long bytesOut, SocketAddress visitor) {
    if (!queue.offer(new Pending(clockMillis.getAsLong(), tunnel, owner, method, uri, status, error, durationNanos,
        bytesIn, bytesOut, visitor))) {
      dropped.increment();
    }
  }

  /** Starts the writer thread (nothing when the log is off). */
  public void start() {
    if (!enabled()) {
      return;
    }
    ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "grok-request-log");
      t.setDaemon(true);
      return t;
    });
    writer = w;
    w.scheduleWithFixedDelay(this::run, 0, WRITE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** One writer run; never throws (a thrown exception would cancel the schedule). */
  private void run() {
    try {
      while (writeQueued() == (long) BATCH_ROWS * MAX_BATCHES_PER_RUN) {
        pruneIfDue(); // a flood keeps the writer busy: pruning still gets its turn
      }
      pruneIfDue();
    } catch (RuntimeException | Error e) {
      log.warn("request log writer run failed; trying again in {} ms", WRITE_INTERVAL_MILLIS, e);
    }
  }

  /**
   * Inserts what is queued, {@value #BATCH_ROWS} rows per transaction, at most {@value #MAX_BATCHES_PER_RUN}
   * batches. Writer thread only.
   *
   * @return rows taken from the queue (written or, when the database failed, lost and counted)
   */
  int writeQueued() {
    int total = 0;
    for (int b = 0; b < MAX_BATCHES_PER_RUN; b++) {
      batch.clear();
      Pending p;
      while (batch.size() < BATCH_ROWS && (p = queue.poll()) != null) {
        batch.add(row(p));
      }
      if (batch.isEmpty()) {
        break;
      }
      total += batch.size();
      try {
        repository.insert(batch);
        written.add(batch.size());
        for (RequestLogRepository.NewRow r : batch) {
          touched.add(r.tunnel());
        }
        if (failing) {
          log.info("request log written again");
          failing = false;
        }
      } catch (RuntimeException e) {
        writeFailures.add(batch.size());
        if (!failing) {
          log.warn("cannot write the request log ({} rows lost, counted in grok_request_log_write_failures_total);"
              + " the next batches try again", batch.size(), e);
          failing = true;
        }
      }
      if (batch.size() < BATCH_ROWS) {
        break;
      }
    }
    batch.clear();
    return total;
  }

  /**
   * The retention deletes, when {@value #PRUNE_INTERVAL_MILLIS} ms have passed since the last (or none ran yet):
   * each tunnel written to since then (every tunnel of the table the first time) keeps its newest
   * {@code retention} rows, and rows older than {@code maxAge} go, in bounded chunks. Writer thread only.
   */
  void pruneIfDue() {
    long now = clockMillis.getAsLong();
    if (lastPruneMillis != NEVER && now - lastPruneMillis < PRUNE_INTERVAL_MILLIS) {
      return;
    }
    lastPruneMillis = now;
    try {
      Collection<String> tunnels = prunedAll ? List.copyOf(touched) : repository.tunnels();
      touched.clear();
      prunedAll = true;
      long deleted = 0;
      for (String tunnel : tunnels) {
        deleted += repository.keepNewest(tunnel, config.retention());
      }
      long cutoff = now - config.maxAge().toMillis();
      for (int i = 0; i < MAX_AGE_CHUNKS_PER_PRUNE; i++) {
        int n = repository.deleteOlderThan(cutoff, AGE_DELETE_CHUNK);
        deleted += n;
        if (n < AGE_DELETE_CHUNK) {
          break;
        }
      }
      if (deleted > 0) {
        log.debug("request log pruned: {} rows", deleted);
      }
    } catch (RuntimeException e) {
      prunedAll = false; // the next prune looks at every tunnel again
      log.warn("cannot prune the request log; trying again in {} s", PRUNE_INTERVAL_MILLIS / 1000, e);
    }
  }

  private static RequestLogRepository.NewRow row(Pending p) {
    return new RequestLogRepository.NewRow(p.atMillis(), cut(p.tunnel(), 128),
        p.owner() == null ? "" : cut(p.owner(), 254), cut(p.method(), 32), cut(p.uri(), MAX_PATH_CHARS), p.status(), p.durationNanos() / 1000, p.bytesIn(),
        p.bytesOut(), address(p.visitor()), p.error() == null ? null : cut(p.error(), 32));
  }

  private static String address(SocketAddress visitor) {
    if (visitor instanceof InetSocketAddress a) {
      return cut(a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress(), 64);
    }
    return visitor == null ? null : cut(visitor.toString(), 64);
  }

  private static String cut(String s, int maxChars) {
    return s.length() > maxChars ? s.substring(0, maxChars) : s;
  }

  /** One page of a tunnel's log (the admin API's threads). */
  public Page page(RequestLogQuery query) {
    List<LoggedRequest> rows = repository.page(query);
    if (rows.size() <= query.limit()) {
      return new Page(rows, null);
    }
    List<LoggedRequest> shown = List.copyOf(rows.subList(0, query.limit()));
    return new Page(shown, shown.get(shown.size() - 1).id());
  }

  /** Whether the tunnel of {@code query} has rows its scope lets the caller see, whatever the filters. */
  public boolean anyVisible(RequestLogQuery query) {
    return repository.anyVisible(query);
  }

  /** Exchanges dropped because the queue was full. */
  public long dropped() {
    return dropped.sum();
  }

  /** Exchanges lost because the database refused their batch. */
  public long writeFailures() {
    return writeFailures.sum();
  }

  /** Rows inserted so far. */
  public long written() {
    return written.sum();
  }

  /** Stops the writer and writes what is still queued (the caller closes the database afterwards). */
  @Override
  public void close() {
    ScheduledExecutorService w = writer;
    if (w == null) {
      return;
    }
    writer = null;
    w.shutdown();
    try {
      if (!w.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("the request log writer did not stop within 5 s; queued exchanges are dropped");
        w.shutdownNow();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      w.shutdownNow();
      return;
    }
    writeQueued(); // the writer has stopped: this thread is the only one touching its state now
  }
}

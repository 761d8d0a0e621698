package dev.grok.server.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The last requests of each live tunnel, for the dashboard. Written off the hot path: an exchange's end only
 * offers an entry to a bounded queue (never blocking; when it is full the entry is dropped and counted), and a
 * background task drains the queue into one small ring per live tunnel. A tunnel's ring goes with the tunnel.
 */
public final class RequestLog {
  /** Entries waiting to be drained; beyond it new ones are dropped (and counted). */
  static final int QUEUE_CAPACITY = 4096;
  /** Requests kept per live tunnel, newest win. */
  public static final int PER_TUNNEL = 100;
  /** A longer path is cut here (the log is for reading, not for replay). */
  static final int MAX_URI_CHARS = 512;

  /**
   * One finished exchange.
   *
   * @param atMillis when it ended (epoch millis)
   * @param error the error kind's label, null when the local service's answer went through
   */
  public record Entry(long atMillis, String tunnel, String method, String uri, int status, String error,
      double durationMillis, long requestBytes, long responseBytes) {}

  private final ArrayBlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final LongAdder dropped = new LongAdder();
  /** Labels of live tunnels: entries of any other are dropped when drained. */
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  /** Guarded by this. */
  private final Map<String, ArrayDeque<Entry>> byTunnel = new HashMap<>();

  /** Never blocks: a full queue drops the entry. Called on edge event loops. */
  void offer(String tunnel, String method, String uri, int status, ErrorKind error, long durationNanos,
      long requestBytes, long responseBytes) {
    String shortUri = uri.length() > MAX_URI_CHARS ? uri.substring(0, MAX_URI_CHARS) : uri;
    Entry e = new Entry(System.currentTimeMillis(), tunnel, method, shortUri, status,
        error == null ? null : error.label, durationNanos / 1e6, requestBytes, responseBytes);
    if (!queue.offer(e)) {
      dropped.increment();
    }
  }

  void tunnelOpened(String tunnel) {
    live.add(tunnel);
  }

  void tunnelClosed(String tunnel) {
    live.remove(tunnel);
    synchronized (this) {
      byTunnel.remove(tunnel);
    }
  }

  /** Moves queued entries into the rings (background task, and before every read). */
  public synchronized void drain() {
    Entry e;
    while ((e = queue.poll()) != null) {
      if (!live.contains(e.tunnel())) {
        continue; // ended while its entry waited
      }
      ArrayDeque<Entry> ring = byTunnel.computeIfAbsent(e.tunnel(), k -> new ArrayDeque<>(PER_TUNNEL));
      if (ring.size() == PER_TUNNEL) {
        ring.pollFirst();
      }
      ring.addLast(e);
    }
  }

  /** The last requests of {@code tunnel}, newest first; empty for a tunnel that is not live or saw none. */
  public List<Entry> recent(String tunnel) {
    drain();
    synchronized (this) {
      ArrayDeque<Entry> ring = byTunnel.get(tunnel);
      List<Entry> out = new ArrayList<>(ring == null ? 0 : ring.size());
      if (ring != null) {
        for (Iterator<Entry> it = ring.descendingIterator(); it.hasNext(); ) {
          out.add(it.next());
        }
      }
      return out;
    }
  }

  /** Entries dropped because the queue was full. */
  public long dropped() {
    return dropped.sum();
  }
}

package dev.grok.client.inspect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@code capacity} exchanges, by id, oldest evicted first, and fewer when their captured bodies would hold
 * more than {@code maxBodyBytes} (500 exchanges of 64 KiB bodies each way are 64 MiB: a client's heap grew to its
 * maximum under a steady load of 1 MiB transfers). The newest exchange is always kept. Owned by the inspector's event
 * loop: the captures publish to it through that loop, and the API reads it there.
 */
final class ExchangeLog {
  private final int capacity;
  private final long maxBodyBytes;
  /** Sum of {@link CapturedExchange#bodyBytes()} over {@link #byId}. */
  private long bodyBytes;
  /** Insertion order is start order; an update keeps its entry's place. */
  private final LinkedHashMap<Long, CapturedExchange> byId = new LinkedHashMap<>();

  ExchangeLog(int capacity, long maxBodyBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
    }
    this.capacity = capacity;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Adds or replaces an exchange. An update of an exchange that was already evicted is dropped, and so is a start
   * snapshot arriving after the end one (the end one wins).
   *
   * @return false when the snapshot was dropped
   */
  boolean put(CapturedExchange e) {
    CapturedExchange old = byId.get(e.id());
    if (old != null) {
      if (old.done() && !e.done()) {
        return false;
      }
      byId.put(e.id(), e);
      bodyBytes += e.bodyBytes() - old.bodyBytes();
      evict();
      return byId.containsKey(e.id());
    }
    if (!byId.isEmpty() && e.id() < byId.firstEntry().getKey()) {
      return false; // evicted while it ran
    }
    byId.put(e.id(), e);
    bodyBytes += e.bodyBytes();
    evict();
    return byId.containsKey(e.id());
  }

  /** Oldest first, while over the count or the byte budget; never the newest one. */
  private void evict() {
    Iterator<Map.Entry<Long, CapturedExchange>> it = byId.entrySet().iterator();
    while (byId.size() > 1 && (byId.size() > capacity || bodyBytes > maxBodyBytes)) {
      bodyBytes -= it.next().getValue().bodyBytes();
      it.remove();
    }
  }

  /** Heap bytes the kept exchanges' bodies hold (at most the budget, or the newest one's alone). */
  long bodyBytes() {
    return bodyBytes;
  }

  CapturedExchange get(long id) {
    return byId.get(id);
  }

  /** Newest first. */
  List<CapturedExchange> newestFirst() {
    List<CapturedExchange> out = new ArrayList<>(byId.values());
    Collections.reverse(out);
    return out;
  }

  int size() {
    return byId.size();
  }

  void clear() {
    byId.clear();
    bodyBytes = 0;
  }
}

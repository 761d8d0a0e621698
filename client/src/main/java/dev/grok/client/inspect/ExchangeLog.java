package dev.grok.client.inspect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last {@code capacity} exchanges, by id, oldest evicted first. Owned by the inspector's event loop: the
 * captures publish to it through that loop, and the API reads it there.
 */
final class ExchangeLog {
  private final int capacity;
  /** Insertion order is start order; an update keeps its entry's place. */
  private final LinkedHashMap<Long, CapturedExchange> byId = new LinkedHashMap<>();

  ExchangeLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
    }
    this.capacity = capacity;
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
      return true;
    }
    if (!byId.isEmpty() && e.id() < byId.firstEntry().getKey()) {
      return false; // evicted while it ran
    }
    byId.put(e.id(), e);
    if (byId.size() > capacity) {
      Iterator<Map.Entry<Long, CapturedExchange>> it = byId.entrySet().iterator();
      it.next();
      it.remove();
    }
    return true;
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
  }
}

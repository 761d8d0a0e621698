package dev.grok.server.edge.tcp;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * Chooses the port of a TCP tunnel that asked for any port. A port whose tunnel ended is remembered for its user
 * for {@link #RESUME_MILLIS}: that user's next request for any port gets it back (a restarted {@code grok tcp 22}
 * keeps its address, as a random HTTP name is resumed), and nobody else is handed it meanwhile; an explicit
 * {@code --remote-port} may still take it. Other ports are handed out in turn from a random start.
 *
 * <p>Not thread-safe: {@link EdgeTcpServer} calls it under its lock. Expired memories are dropped on every call, so the
 * map never holds more than one entry per port of the range.
 */
final class TcpPorts {
  /** How long a released port stays reserved for its last user. */
  static final long RESUME_MILLIS = TimeUnit.MINUTES.toMillis(10);

  private final PortRange range;
  private final LongSupplier nanoClock;
  /** Released ports, oldest release first: port -> its last user and when the reservation lapses. */
  private final LinkedHashMap<Integer, Memory> remembered = new LinkedHashMap<>();
  /** Offset in the range of the next port a fresh pick tries. */
  private int cursor;

  private record Memory(String user, long expiresAtNanos) {}

  TcpPorts(PortRange range, LongSupplier nanoClock) {
    this.range = range;
    this.nanoClock = nanoClock;
    this.cursor = ThreadLocalRandom.current().nextInt(range.size());
  }

  PortRange range() {
    return range;
  }

  /**
   * A port for {@code user}: the one it released most recently when that one is usable, else the next port in
   * turn that is neither {@code unavailable} nor reserved for another user. -1 when the range has none left.
   */
  int pick(String user, IntPredicate unavailable) {
    expire();
    int mine = -1;
    for (Map.Entry<Integer, Memory> e : remembered.entrySet()) {
      if (e.getValue().user().equals(user) && !unavailable.test(e.getKey())) {
        mine = e.getKey(); // the last match is the most recent release
      }
    }
    if (mine != -1) {
      return mine;
    }
    int size = range.size();
    for (int i = 0; i < size; i++) {
      int offset = (cursor + i) % size;
      int port = range.low() + offset;
      Memory m = remembered.get(port);
      if (!unavailable.test(port) && (m == null || m.user().equals(user))) {
        cursor = (offset + 1) % size;
        return port;
      }
    }
    return -1;
  }

  /** {@code port}'s tunnel of {@code user} ended: keep it for that user for a while. */
  void remember(String user, int port) {
    expire();
    remembered.remove(port); // re-inserted last: the most recent release
    remembered.put(port, new Memory(user, nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(RESUME_MILLIS)));
  }

  /** {@code port} was handed out: whatever reservation it had is over. */
  void forget(int port) {
    remembered.remove(port);
  }

  /** Ports reserved now (for tests). */
  int rememberedCount() {
    expire();
    return remembered.size();
  }

  private void expire() {
    long now = nanoClock.getAsLong();
    Iterator<Memory> it = remembered.values().iterator();
    while (it.hasNext()) {
      // Insertion order is release order and every reservation lasts as long: the first live one ends the scan.
      if (it.next().expiresAtNanos() - now > 0) {
        return;
      }
      it.remove();
    }
  }
}

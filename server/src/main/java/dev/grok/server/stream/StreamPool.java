package dev.grok.server.stream;

import io.grpc.Status;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The standby {@link TunnelStream}s of one tunnel owner (a client session) and the exchanges waiting for one. An
 * exchange {@link #acquire}s an idle stream, or waits in line and is handed the next stream that comes back or
 * arrives; when the line is longer than the streams already asked for, the pool asks for more through its
 * {@code demand} callback (the session sends {@code StreamDemand}). A stream is given back when its exchange ended
 * cleanly, retired when the client asks, forgotten when it ends.
 *
 * <p>Threads: used from every edge loop (acquire, cancelWait), the gRPC transport loops (add, give back, retire,
 * forget) and whichever thread ends the session (close). One lock guards the idle streams, the line and the count
 * of streams asked for; it is also the happens-before edge of a stream's hand-over from one exchange to the next.
 * Exchanges and streams are called back and the demand is sent outside it.
 */
public final class StreamPool {
  /** Exchanges that may wait for a standby stream at once; beyond it {@link #acquire} refuses (the visitor: 503). */
  public static final int MAX_WAITING_EXCHANGES = 10_000;

  /** Fewest streams one demand asks for: a burst above the client's margin usually goes on. */
  static final int STREAM_DEMAND_BATCH = 8;

  /** Told how many more streams to ask the client for; called outside the lock, from an acquiring thread. */
  private final IntConsumer demand;

  private final Object lock = new Object();
  /** Idle standby streams, most recently returned first (warm). Guarded by lock. */
  private final ArrayDeque<TunnelStream> idle = new ArrayDeque<>();
  /** Exchanges waiting for a stream, oldest first. Guarded by lock. */
  private final ArrayDeque<TunnelExchange> waiting = new ArrayDeque<>();
  /**
   * Streams asked for through {@code demand} and not yet arrived. Guarded by lock. Every waiting exchange would
   * otherwise ask again for streams already on their way, and the pool would grow with the square of a burst.
   */
  private int streamsDemanded;
  /** Set once by {@link #close}; written under lock, read anywhere. */
  private volatile boolean closed;

  /** {@code demand} sends the client a request for that many more standby streams. */
  public StreamPool(IntConsumer demand) {
    this.demand = demand;
  }

  /** A new standby stream from the client: hand it to a waiting exchange or keep it idle. */
  public void add(TunnelStream stream) {
    synchronized (lock) {
      if (streamsDemanded > 0) {
        streamsDemanded--;
      }
    }
    giveBack(stream); // completes it at once when the pool is closed
  }

  /**
   * Takes an idle stream for {@code x}, or queues {@code x} until one arrives (then
   * {@link TunnelExchange#onStreamAssigned}); null when queued or when the pool is closed ({@link #isClosed()}
   * tells which). A stream whose connection runs on {@code x}'s loop is preferred: its frames then reach the
   * exchange without a thread hop (a task handed to another loop costs a wake-up, a syscall, each way); any other
   * idle stream is the fallback.
   *
   * @throws IllegalStateException when {@link #MAX_WAITING_EXCHANGES} already wait (the message says so)
   */
  public TunnelStream acquire(TunnelExchange x) {
    int more = 0;
    synchronized (lock) {
      if (closed) {
        return null;
      }
      TunnelStream s = takeIdle(x.loop());
      if (s != null) {
        s.attach(x);
        return s;
      }
      if (waiting.size() >= MAX_WAITING_EXCHANGES) {
        throw new IllegalStateException("too many exchanges waiting for a stream: " + waiting.size()
            + " (limit " + MAX_WAITING_EXCHANGES + ")");
      }
      waiting.addLast(x);
      int shortfall = waiting.size() - streamsDemanded;
      if (shortfall > 0) {
        more = Math.max(shortfall, STREAM_DEMAND_BATCH);
        streamsDemanded += more;
      }
    }
    // No idle stream: the client keeps a margin, so this is a burst above it. Ask for more at once.
    if (more > 0) {
      demand.accept(more);
    }
    return null;
  }

  /** Caller holds lock. The most recently idle open stream on {@code loop}, else the most recent on any loop. */
  private TunnelStream takeIdle(EventLoop loop) {
    TunnelStream fallback = null;
    for (Iterator<TunnelStream> it = idle.iterator(); it.hasNext(); ) {
      TunnelStream s = it.next();
      if (s.isClosed()) {
        it.remove();
      } else if (s.runsOn(loop)) {
        it.remove();
        return s;
      } else if (fallback == null) {
        fallback = s;
      }
    }
    if (fallback != null) {
      idle.remove(fallback);
    }
    return fallback;
  }

  /** {@code x} no longer waits (timeout, visitor gone). */
  public void cancelWait(TunnelExchange x) {
    synchronized (lock) {
      waiting.remove(x);
    }
  }

  /** {@code stream}'s exchange ended cleanly (or it just arrived): the next waiting exchange takes it, else idle. */
  void giveBack(TunnelStream stream) {
    TunnelExchange next = null;
    boolean keptIdle = false;
    synchronized (lock) {
      if (stream.isClosed()) {
        return;
      }
      if (!closed) {
        next = waiting.pollFirst();
        if (next != null) {
          stream.attach(next); // a retirement asked for meanwhile waits until this exchange is over too
        } else if (!stream.retireRequested) {
          idle.addFirst(stream);
          keptIdle = true;
        }
      }
    }
    if (next != null) {
      next.onStreamAssigned(stream);
    } else if (keptIdle) {
      stream.requestUpTo(1); // an idle stream listens for the client's Retire
    } else {
      stream.completeIdle(); // the pool closed, or the client asked to retire the stream
    }
  }

  /**
   * The client asks to end {@code stream}: at once when it is idle, else when its current exchange is over (the
   * client serves an exchange that reached the stream before the server saw the Retire).
   */
  void retire(TunnelStream stream) {
    synchronized (lock) {
      if (!idle.remove(stream)) {
        // Busy: the exchange the client just finished is not over here yet, or a new one was already handed to
        // the stream. Either way it ends the next time it would become idle (giveBack).
        stream.retireRequested = true;
        return;
      }
    }
    stream.completeIdle();
  }

  /** {@code stream} ended (cancelled, failed, aborted): it is never handed out again. */
  void forget(TunnelStream stream) {
    synchronized (lock) {
      idle.remove(stream);
    }
  }

  /**
   * Closes the pool once (the owner ended): waiting exchanges are told {@code gone}, idle streams are completed,
   * and streams that arrive or come back later are completed too. Returns false when it was closed already.
   */
  public boolean close(Status gone) {
    List<TunnelStream> idleNow;
    List<TunnelExchange> waitersNow;
    synchronized (lock) {
      if (closed) {
        return false;
      }
      closed = true;
      idleNow = new ArrayList<>(idle);
      idle.clear();
      waitersNow = new ArrayList<>(waiting);
      waiting.clear();
    }
    for (TunnelExchange x : waitersNow) {
      x.onTunnelGone(gone);
    }
    for (TunnelStream s : idleNow) {
      s.completeIdle();
    }
    return true;
  }

  /** True once the owner ended: {@link #acquire} hands out nothing any more. */
  public boolean isClosed() {
    return closed;
  }

  /** Idle streams now (for gauges and tests). */
  public int idleStreams() {
    synchronized (lock) {
      return idle.size();
    }
  }

  /** Exchanges waiting for a stream now (for tests). */
  public int waitingExchanges() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  /** Streams asked for and not yet arrived (for tests). */
  int streamsDemanded() {
    synchronized (lock) {
      return streamsDemanded;
    }
  }
}

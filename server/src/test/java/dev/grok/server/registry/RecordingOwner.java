package dev.grok.server.registry;

import dev.grok.server.stream.StreamPool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tunnel owner for tests without a client session: records evictions, stops and the stream demand of its pool.
 * {@link #stopTunnel} unregisters from the registry it was given (like a session), when it was given one.
 */
public class RecordingOwner implements TunnelOwner {
  /** {@code NAME: reason} per eviction, in order. */
  public final List<String> evicted = new CopyOnWriteArrayList<>();
  /** {@code NAME: reason} per stop, in order. */
  public final List<String> stopped = new CopyOnWriteArrayList<>();
  /** Each demand for more streams the pool made. */
  public final List<Integer> demanded = new CopyOnWriteArrayList<>();
  private final StreamPool streams = new StreamPool(demanded::add);
  private final TunnelRegistry registry;

  public RecordingOwner() {
    this(null);
  }

  public RecordingOwner(TunnelRegistry registry) {
    this.registry = registry;
  }

  @Override
  public StreamPool streams() {
    return streams;
  }

  @Override
  public void onTunnelEvicted(Tunnel tunnel, String reason) {
    evicted.add(tunnel.name() + ": " + reason);
  }

  @Override
  public boolean stopTunnel(Tunnel tunnel, String reason) {
    if (registry != null && !registry.unregister(tunnel)) {
      return false;
    }
    stopped.add(tunnel.name() + ": " + reason);
    return true;
  }
}

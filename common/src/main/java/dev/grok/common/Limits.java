package dev.grok.common;

/** The protocol's limits, named once for both sides. Each value's reason is next to it. */
public final class Limits {
  private Limits() {}

  /**
   * Body bytes per Data frame. 64 KiB keeps per-frame overhead under 0.1% while a frame still fits the default
   * HTTP/2 initial window, so one stalled reader never holds more than a window of a connection.
   */
  public static final int MAX_CHUNK_BYTES = 64 * 1024;

  /** Largest gRPC message either side accepts: a chunk plus a head with many headers. */
  public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** Request line limit at the edge (longer: 414). */
  public static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;

  /** Total header block limit at the edge and for local responses (larger: 431 at the edge). */
  public static final int MAX_HEADER_BYTES = 32 * 1024;

  /** gRPC/HTTP/2 stream flow-control window per exchange: a 1 MiB window fills a 1 Gbit/s x 8 ms path. */
  public static final int STREAM_WINDOW_BYTES = 1024 * 1024;

  /**
   * Bytes a gRPC stream may have queued before {@code isReady()} turns false. gRPC's default (32 KiB) is half a
   * chunk: every 64 KiB frame would stop the relay until the transport drained it. A quarter of the stream window
   * keeps the pipe full without letting one exchange queue more than that.
   */
  public static final int ON_READY_THRESHOLD_BYTES = STREAM_WINDOW_BYTES / 4;

  /**
   * Response frames the edge asks for ahead of writing them (gRPC request(n)). One at a time costs two thread hops
   * per 64 KiB chunk (transport loop to the visitor's loop and back); a few in flight hide them. Bounded: at most
   * this many chunks wait on the visitor's loop beyond its write-buffer watermark.
   */
  public static final int RESPONSE_PREFETCH_FRAMES = 4;

  /** Write-buffer watermarks of edge and local channels: above HIGH a relay stops reading its source. */
  public static final int WRITE_BUFFER_LOW_BYTES = 64 * 1024;
  public static final int WRITE_BUFFER_HIGH_BYTES = 256 * 1024;

  /** Connect timeout to the local service; the visitor gets 502 within a second when it is unreachable. */
  public static final int LOCAL_CONNECT_TIMEOUT_MILLIS = 800;

  /** Control-session heartbeat period; a session silent for three periods is dead. */
  public static final int HEARTBEAT_INTERVAL_MILLIS = 10_000;

  /** Metadata keys. */
  public static final String SESSION_HEADER = "grok-session";
  public static final String AUTHORIZATION_HEADER = "authorization";
}

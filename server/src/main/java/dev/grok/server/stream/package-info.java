/**
 * The exchanges' streams: a tunnel owner's {@link dev.grok.server.stream.StreamPool} of standby
 * {@link dev.grok.server.stream.TunnelStream}s (one gRPC {@code Exchange} call each, carrying one exchange at a time)
 * and the {@link dev.grok.server.stream.TunnelExchange} callbacks through which a stream talks to the edge exchange
 * that holds it. Knows nothing of sessions, the registry or the edge: an owner feeds the pool and is told when it
 * needs more streams. Callbacks run on the gRPC transport's event loop (direct executor): nothing here blocks.
 */
package dev.grok.server.stream;

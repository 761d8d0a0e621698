/**
 * The gRPC side of the server: the {@code Tunnel} service, one {@link dev.grok.server.tunnel.ControlSession} per
 * connected client, and its pool of standby {@link dev.grok.server.tunnel.TunnelStream}s that carry one exchange
 * at a time. Callbacks run on the gRPC transport's event loop (direct executor): nothing here blocks.
 */
package dev.grok.server.tunnel;

/**
 * The tunnel port's defences, around the gRPC service rather than in it: a deadline and a cap for connections
 * that have not authenticated yet ({@link dev.grok.server.tunnel.guard.TunnelConnections}), the throttle of failed
 * token attempts per address ({@link dev.grok.server.tunnel.guard.AuthThrottleInterceptor}), the cap of streams
 * per session ({@link dev.grok.server.tunnel.guard.SessionStreamLimit}), and the gRPC transport's keepalive and
 * reset limits ({@link dev.grok.server.tunnel.guard.TunnelPortLimits}). Refusals are counted as
 * {@code grok_tunnel_port_rejected_total{reason}}.
 */
package dev.grok.server.tunnel.guard;

/**
 * The gRPC side of the server: the {@code Tunnel} service and one {@link dev.grok.server.tunnel.ControlSession} per
 * connected client, which speaks the control protocol (Hello/Welcome, opening and closing tunnels, heartbeats,
 * GoingAway) and owns the client's tunnels and stream pool ({@code server.stream}). Callbacks run on the gRPC
 * transport's event loop (direct executor): nothing here blocks.
 */
package dev.grok.server.tunnel;

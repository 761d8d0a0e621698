/**
 * The public TCP edge: one listener per TCP tunnel on a port of the server's {@code --tcp-ports} range
 * ({@link dev.grok.server.edge.tcp.TcpPorts} chooses it and remembers each user's last ports), and one
 * {@link dev.grok.server.edge.tcp.EdgeTcpExchange} per visitor connection, relaying raw bytes over one Exchange stream
 * with half-close and backpressure both ways.
 */
package dev.grok.server.edge.tcp;

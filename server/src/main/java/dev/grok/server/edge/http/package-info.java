/**
 * The public HTTP/1.1 edge: one {@link dev.grok.server.edge.http.EdgeHttpHandler} per visitor connection routes
 * each request by Host to a live tunnel and runs it as an {@link dev.grok.server.edge.http.EdgeHttpExchange} on a
 * standby gRPC stream. The connection reads one decoded message at a time (autoRead off, FlowControlHandler),
 * so backpressure is a matter of when to call {@code read()}.
 */
package dev.grok.server.edge.http;

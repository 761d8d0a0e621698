/**
 * The local side of an exchange: a {@link dev.grok.client.forward.LocalHttpExchange} turns one request received on a
 * tunnel stream into an HTTP/1.1 request to the local service and streams the response back, with backpressure in
 * both directions. Connections to the local service are pooled per event loop ({@code LocalConnectionPool}) and an
 * exchange runs on the event loop its tunnel stream's callbacks arrive on, so a message never changes thread.
 * {@link dev.grok.client.forward.Forwarder} is what a tunnel stream hands its exchanges to: the
 * {@link dev.grok.client.forward.LocalHttpForwarder} (HTTP) or {@link dev.grok.client.forward.LocalTcpForwarder} here, or
 * {@code grok serve}'s FileResponder.
 */
package dev.grok.client.forward;

/**
 * WebSocket fixtures: {@link dev.grok.testing.websocket.WebSocketEchoOrigin}, an echo server on Netty's
 * WebSocketServerProtocolHandler standing in for the local service (greeting and 403 options, a record of every
 * handshake as an {@link dev.grok.testing.websocket.OriginSession}), and
 * {@link dev.grok.testing.websocket.WebSocketVisitor}, a Netty WebSocket client playing the visitor.
 */
package dev.grok.testing.websocket;

/**
 * What the public edge does before it trusts a visitor: a strict HTTP/1.1 framing check in front of Netty's codec
 * ({@link dev.grok.server.edge.guard.Http1RequestGuard}: every request head and body is validated byte by byte
 * and only whole, valid units reach the decoder), the header, body and idle deadlines, the connection limits per
 * address and in total, the idle deadline of HTTP/2 connections, and the counters of what was refused. See
 * docs/security.md for each rule and where it is enforced.
 */
package dev.grok.server.edge.guard;

/**
 * The one raw-byte relay: {@link dev.grok.common.relay.RawRelay}, the last handler of a socket (autoRead off)
 * whose bytes travel on one tunnel stream as Data frames, and {@link dev.grok.common.relay.RelayTunnel}, what it
 * needs from that stream. Used wherever grok relays raw bytes: the server's TCP edge and an HTTP edge connection
 * after a 101, the client's TCP exchange and a local connection after a 101. One backpressure scheme, one
 * half-close rule (TLS-aware), one reset rule and one prefetch setting for all four (docs/architecture.md).
 */
package dev.grok.common.relay;

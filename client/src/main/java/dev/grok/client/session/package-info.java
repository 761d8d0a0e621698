/**
 * The client's half of a session with the tunnel server: {@link dev.grok.client.session.ControlSession} owns the
 * control stream (hello, tunnel registration, heartbeats, reconnects with backoff) and a {@code StandbyPool} of
 * Exchange streams opened ahead of need, each of which carries one exchange at a time into
 * {@link dev.grok.client.forward}.
 */
package dev.grok.client.session;

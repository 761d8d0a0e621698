/**
 * The request inspector: observes every exchange on its way through the client (a bounded copy of each body, off
 * the tunnel's path once captured), keeps the last few hundred in a ring, counts them in Prometheus metrics, and
 * serves a page, a JSON API, an event stream and HAR export on {@code 127.0.0.1:4041}; requests can be replayed to
 * the local service.
 */
package dev.grok.client.inspect;

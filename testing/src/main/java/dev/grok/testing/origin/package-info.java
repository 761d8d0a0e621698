/**
 * {@link dev.grok.testing.origin.LocalHttpOrigin}, a real HTTP/1.1 server on loopback that stands in for the
 * developer's local service: it records every request ({@link dev.grok.testing.origin.RecordingRequests}), echoes
 * and streams bodies of any size with backpressure, answers chosen statuses, drips chunks on a timer or a gate
 * ({@link dev.grok.testing.origin.SlowStream}) and misbehaves on demand ({@link dev.grok.testing.origin.Fault}).
 * The package-private {@code Exchange} subclasses are its behaviours, one per request.
 */
package dev.grok.testing.origin;

package dev.grok.testing.origin;

/**
 * A test's own answer for a path prefix, registered with {@link LocalHttpOrigin#route(String, OriginHandler)}.
 * Called on the origin's event loop once the whole request was received (the body itself is not kept: its
 * length and SHA-256 are in the {@link RecordedRequest}); must not block.
 */
@FunctionalInterface
public interface OriginHandler {
  OriginResponse respond(RecordedRequest request);
}

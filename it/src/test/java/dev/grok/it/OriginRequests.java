package dev.grok.it;

import dev.grok.testing.origin.LocalHttpOrigin;
import dev.grok.testing.origin.RecordedRequest;
import java.time.Duration;

/** Takes a given request from an origin shared by several tests, whatever else it recorded before. */
final class OriginRequests {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private OriginRequests() {}

  /** The next recorded request whose raw target is {@code uri}; requests of other targets are dropped. */
  static RecordedRequest take(LocalHttpOrigin origin, String uri) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      RecordedRequest r;
      try {
        r = origin.takeRequest(left);
      } catch (AssertionError e) {
        throw new AssertionError("the origin received no request for " + uri + " within " + TIMEOUT, e);
      }
      if (r.uri().equals(uri)) {
        return r;
      }
    }
  }
}

package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

/** Small helpers of the TCP tunnel tests. */
final class TestTcp {
  private TestTcp() {}

  /** The port of a TCP tunnel's public URL {@code tcp://HOST:PORT}. */
  static int portOf(String publicUrl) {
    URI uri = URI.create(publicUrl);
    assertThat(uri.getScheme()).as(publicUrl).isEqualTo("tcp");
    return uri.getPort();
  }
}

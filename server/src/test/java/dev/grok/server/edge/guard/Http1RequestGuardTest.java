package dev.grok.server.edge.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The framing rules of {@link Http1RequestGuard}, on an {@code EmbeddedChannel}: what passes and what is refused. */
class Http1RequestGuardTest {
  private static final String GET = "GET /a?b=1 HTTP/1.1\r\nHost: demo.localhost\r\nAccept: */*\r\n\r\n";

  private static GuardedChannel sent(String text) {
    GuardedChannel c = new GuardedChannel();
    c.send(text);
    return c;
  }

  @Test
  void validRequestPassesByteForByte() {
    try (GuardedChannel c = sent(GET)) {
      assertThat(c.refusal()).isNull();
      assertThat(c.passed()).isEqualTo(GET);
    }
  }

  @Test
  void requestTrickledOneByteAtATimePassesWhole() {
    try (GuardedChannel c = new GuardedChannel()) {
      c.trickle(GET + "POST /p HTTP/1.1\r\nHost: demo.localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3;x=\"y\"\r\nabc\r\n0\r\nT: 1\r\n\r\n");
      assertThat(c.refusal()).isNull();
      assertThat(c.passed()).isEqualTo(GET + "POST /p HTTP/1.1\r\nHost: demo.localhost\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n");
    }
  }

  @Test
  void chunkExtensionsAreDroppedAndSizesRewritten() {
    try (GuardedChannel c = sent("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0005 ; a=b;c\r\nhello\r\n000\r\n\r\n")) {
      assertThat(c.refusal()).isNull();
      assertThat(c.passed()).endsWith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    }
  }

  @Test
  void leadingEmptyLinesAreSkipped() {
    try (GuardedChannel c = sent("\r\n\r\n" + GET)) {
      assertThat(c.passed()).isEqualTo(GET);
    }
  }

  @Test
  void contentLengthAndTransferEncodingTogetherAreRefusedAndTheSmuggledRequestNeverPasses() {
    String smuggled = "GET /x HTTP/1.1\r\nHost: demo.localhost\r\n\r\n";
    for (String headers : new String[] {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"}) {
      try (GuardedChannel c = sent("POST / HTTP/1.1\r\nHost: demo.localhost\r\n" + headers + "\r\n0\r\n\r\n"
          + smuggled)) {
        assertThat(c.refusal().status()).isEqualTo(400);
        assertThat(c.refusal().reason()).isEqualTo("cl_and_te");
        assertThat(c.passed()).isEmpty();
      }
    }
  }

  @Test
  void twoHostLinesAreRefused() {
    try (GuardedChannel c = sent("GET / HTTP/1.1\r\nHost: a.localhost\r\nHost: b.localhost\r\n\r\n")) {
      assertThat(c.refusal().reason()).isEqualTo("repeated_host");
      assertThat(c.passed()).isEmpty();
    }
  }

  @Test
  void chunkSizeBeyondSixtyFourBitsIsRefusedAfterTheHeadPassed() {
    String head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    try (GuardedChannel c = sent(head + "100000000000000000\r\nabc\r\n0\r\n\r\n")) {
      assertThat(c.refusal().reason()).isEqualTo("chunk_size_overflow");
      assertThat(c.passed()).isEqualTo(head);
    }
  }

  @Test
  void absoluteFormIsRoutedByItsAuthority() {
    try (GuardedChannel c = sent("GET http://b.localhost:8080/x?y HTTP/1.1\r\nHost: a.localhost\r\nX: 1\r\n\r\n")) {
      assertThat(c.refusal()).isNull();
      assertThat(c.passed()).isEqualTo("GET /x?y HTTP/1.1\r\nHost: b.localhost:8080\r\nX: 1\r\n\r\n");
    }
  }

  @Test
  void aValidRequestBeforeAMalformedOnePassesAndNothingAfter() {
    try (GuardedChannel c = sent(GET + "GET / HTTP/1.1\nHost: h\r\n\r\n" + GET)) {
      assertThat(c.passed()).isEqualTo(GET);
      assertThat(c.refusal().reason()).isEqualTo("bare_lf");
      c.send(GET);
      assertThat(c.passed()).as("dropped after the refusal").isEqualTo(GET);
    }
  }

  @Test
  void missingCrlfAfterChunkDataIsRefused() {
    try (GuardedChannel c = sent("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n")) {
      assertThat(c.refusal().reason()).isEqualTo("missing_chunk_crlf");
    }
  }

  @Test
  void unknownTransferCodingIs501() {
    try (GuardedChannel c = sent("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")) {
      assertThat(c.refusal().status()).isEqualTo(501);
    }
  }

  @Test
  void longRequestLineIs414AndTooManyHeadersAre431() {
    try (GuardedChannel c = sent("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n")) {
      assertThat(c.refusal().status()).isEqualTo(414);
    }
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
    for (int i = 0; i < 101; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    try (GuardedChannel c = sent(many + "\r\n")) {
      assertThat(c.refusal().status()).isEqualTo(431);
    }
    try (GuardedChannel c = sent("GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(41_000) + "\r\n\r\n")) {
      assertThat(c.refusal().status()).isEqualTo(431);
    }
  }

  @Test
  void hugeChunkIsSplitForTheDecoder() {
    long size = (1L << 30) + 5;
    try (GuardedChannel c = sent("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Long.toHexString(size) + "\r\n")) {
      assertThat(c.refusal()).isNull();
      c.send("abc");
      assertThat(c.passed()).endsWith("\r\n\r\n40000000\r\nabc");
    }
  }

  @Test
  void refusalsAreCountedByReason() {
    try (GuardedChannel c = sent("GET / HTTP/1.1\r\nHost : h\r\n\r\n")) {
      assertThat(c.refusal().reason()).isEqualTo("whitespace_before_colon");
      assertThat(c.metrics.rejectedCount("whitespace_before_colon")).isEqualTo(1.0);
    }
  }
}

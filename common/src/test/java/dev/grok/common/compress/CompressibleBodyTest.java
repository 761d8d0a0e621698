package dev.grok.common.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.protocol.v1.Header;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which bodies qualify for compression. */
class CompressibleBodyTest {
  @ParameterizedTest
  @ValueSource(strings = {"text/html; charset=utf-8", "TEXT/CSS", "application/json", "application/problem+json",
      "application/javascript", "image/svg+xml", "application/wasm", "application/xml", "text/plain"})
  void textLikeTypesQualify(String type) {
    assertThat(CompressibleBody.worthCompressing(type, null, 10_000)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"image/png", "image/jpeg", "video/mp4", "application/zip", "application/octet-stream",
      "application/gzip", "font/woff2"})
  void binaryTypesDoNot(String type) {
    assertThat(CompressibleBody.worthCompressing(type, null, 10_000)).isFalse();
  }

  @Test
  void anUnknownTypeQualifies() {
    assertThat(CompressibleBody.worthCompressing(null, null, 10_000)).isTrue();
  }

  @Test
  void anEncodedBodyDoesNotButIdentityIsNoEncoding() {
    assertThat(CompressibleBody.worthCompressing("text/html", "gzip", 10_000)).isFalse();
    assertThat(CompressibleBody.worthCompressing("text/html", "br", 10_000)).isFalse();
    assertThat(CompressibleBody.worthCompressing("text/html", "identity", 10_000)).isTrue();
  }

  @Test
  void aKnownLengthBelowTheThresholdDoesNotButUnknownLengthDoes() {
    assertThat(CompressibleBody.worthCompressing("text/html", null, CompressibleBody.MIN_BYTES - 1)).isFalse();
    assertThat(CompressibleBody.worthCompressing("text/html", null, CompressibleBody.MIN_BYTES)).isTrue();
    assertThat(CompressibleBody.worthCompressing("text/html", null, -1)).isTrue();
  }

  @Test
  void protocolHeadersAreReadCaseInsensitively() {
    List<Header> head = List.of(header("content-type", "application/json"), header("Content-Length", "500"));
    assertThat(CompressibleBody.worthCompressing(head)).isFalse();
    List<Header> big = List.of(header("Content-Type", "application/json"), header("content-length", "5000"));
    assertThat(CompressibleBody.worthCompressing(big)).isTrue();
  }

  private static Header header(String name, String value) {
    return Header.newBuilder().setName(name).setValue(value).build();
  }
}

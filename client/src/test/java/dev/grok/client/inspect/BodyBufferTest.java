package dev.grok.client.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyBufferTest {
  @Test
  void keepsTheFirstBytesUpToTheLimitAndCountsAll() {
    BodyBuffer b = new BodyBuffer(5);
    ByteBuf first = Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII);
    ByteBuf second = Unpooled.copiedBuffer("defgh", StandardCharsets.US_ASCII);
    b.append(first);
    b.append(second);

    CapturedBody body = b.finish();
    assertThat(new String(body.copy(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
    assertThat(body.size()).isEqualTo(8);
    assertThat(body.truncated()).isTrue();
    assertThat(first.readerIndex()).isZero(); // the chunk goes on to the local service untouched
    assertThat(second.readableBytes()).isEqualTo(5);
  }

  @Test
  void aBodyWithinTheLimitIsNotTruncated() {
    BodyBuffer b = new BodyBuffer(1024);
    b.append(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));

    CapturedBody body = b.finish();
    assertThat(body.truncated()).isFalse();
    assertThat(ExchangeJson.text(body)).isEqualTo("hello");
  }
}

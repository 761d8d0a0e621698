package dev.grok.client.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
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

  @Test
  void capturesInProgressShareOneBudgetAndABodyBeyondItIsCapturedNoFurther() {
    AtomicLong capturing = new AtomicLong();
    BodyBuffer first = new BodyBuffer(4096, capturing, 3072);
    BodyBuffer second = new BodyBuffer(4096, capturing, 3072);
    first.append(Unpooled.wrappedBuffer(new byte[2048]));
    assertThat(capturing.get()).isEqualTo(2048);

    second.append(Unpooled.wrappedBuffer(new byte[1024])); // fits: 2048 + 1024
    second.append(Unpooled.wrappedBuffer(new byte[1024])); // would grow its array to 2048: over the budget
    assertThat(capturing.get()).isEqualTo(3072);

    CapturedBody starved = second.finish();
    assertThat(starved.length()).isEqualTo(1024);
    assertThat(starved.size()).isEqualTo(2048);
    assertThat(starved.truncated()).isTrue();
    assertThat(capturing.get()).isEqualTo(2048);
    first.finish();
    assertThat(capturing.get()).isZero();
  }

  @Test
  void aFinishedCaptureGivesItsBytesBackOnceAndCopiesNoMore() {
    AtomicLong capturing = new AtomicLong();
    BodyBuffer b = new BodyBuffer(4096, capturing, 8192);
    b.append(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
    b.finish();
    b.finish();
    b.append(Unpooled.copiedBuffer("more", StandardCharsets.US_ASCII));

    assertThat(capturing.get()).isZero();
    assertThat(ExchangeJson.text(b.finish())).isEqualTo("hello");
  }
}

package dev.grok.client.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipBodyTest {
  private static byte[] gzipInChunks(byte[] input, int chunkBytes) throws Exception {
    GzipBody body = new GzipBody(new BytesBody(input, chunkBytes / 2),
        new UnpooledByteBufAllocator(true), chunkBytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (body) {
      while (!body.isDone()) {
        ByteBuf chunk = body.next();
        assertThat(chunk.readableBytes()).isLessThanOrEqualTo(chunkBytes);
        out.writeBytes(ByteBufUtil.getBytes(chunk));
        chunk.release();
      }
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @Test
  void textRoundTripsThroughStandardGunzipAndShrinks() throws Exception {
    byte[] text = "<p>hello, grok serve</p>\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);

    byte[] gz = gzipInChunks(text, 64 * 1024);

    assertThat(gunzip(gz)).isEqualTo(text);
    assertThat(gz.length).isLessThan(text.length / 10);
  }

  @Test
  void incompressibleBytesStillComeInChunksNoLargerThanAsked() throws Exception {
    byte[] noise = new byte[300_000];
    new Random(7).nextBytes(noise);

    byte[] gz = gzipInChunks(noise, 16 * 1024);

    assertThat(gunzip(gz)).isEqualTo(noise);
  }
}

package dev.grok.client;

import static dev.grok.client.FakeStream.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.grok.testing.Await;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedInput;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slow reader on either side holds the other side back: nothing between them buffers without bound. Absence of
 * progress can only be seen over time, so these tests watch for a while where other tests await an event.
 */
class BackpressureTest extends ClientTestBase {
  private static final Logger log = LoggerFactory.getLogger(BackpressureTest.class);
  private static final int TOTAL_BYTES = 64 * 1024 * 1024;
  /** What may legitimately sit between the two ends: socket buffers, a stream window, watermarks. */
  private static final int IN_FLIGHT_LIMIT_BYTES = 24 * 1024 * 1024;

  @Test
  void serverNotReadingStopsTheLocalResponse() throws Exception {
    AtomicLong produced = new AtomicLong();
    origin.responder = (req, ctx) -> respondWithPattern(ctx, produced);
    startReadyClient();
    FakeStream stream = tunnel.nextStream(WAIT);
    stream.pause(); // the server takes the response head and nothing more
    stream.sendRequest("GET", "/big", List.of(), null);
    assertThat(stream.next(WAIT).hasResponseHead()).isTrue();

    long stalledAt = awaitNoProgress(produced);
    log.info("local response stalled at {} bytes while the server did not read", stalledAt);
    assertThat(stalledAt).isLessThan(IN_FLIGHT_LIMIT_BYTES);

    long start = System.nanoTime();
    stream.resume();
    long received = 0;
    while (true) {
      var frame = stream.next(WAIT);
      ByteString bytes = frame.getData().getBytes();
      for (int i = 0; i < bytes.size(); i++) {
        if (bytes.byteAt(i) != pattern(received + i)) {
          throw new AssertionError("byte " + (received + i) + " differs");
        }
      }
      received += bytes.size();
      if (frame.getData().getEndOfBody()) {
        break;
      }
    }
    assertThat(received).isEqualTo(TOTAL_BYTES);
    log.info("64 MiB response through the client in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void localServiceNotReadingStopsTheRequestBody() throws Exception {
    try (ServerSocket slow = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      startClient(FakeTunnelServer.TOKEN, "demo", null, slow.getLocalPort());
      assertThat(listener.next(WAIT).type()).isEqualTo("ready");
      FakeStream stream = tunnel.nextStream(WAIT);
      stream.sendHead("POST", "/upload", List.of(header("Content-Length", String.valueOf(TOTAL_BYTES))), false);
      byte[] chunk = new byte[64 * 1024];
      for (int off = 0; off < TOTAL_BYTES; off += chunk.length) {
        for (int i = 0; i < chunk.length; i++) {
          chunk[i] = pattern(off + i);
        }
        stream.sendData(ByteString.copyFrom(chunk), off + chunk.length >= TOTAL_BYTES);
      }

      Socket local = slow.accept();
      // The local service reads nothing for a while: the client must stop asking the server for body frames, so
      // the server keeps almost all of the body queued.
      Thread.sleep(1000);
      assertThat(stream.isReady()).as("server-side queue drained while the local service read nothing").isFalse();

      CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> readRequest(local));
      assertThat(Await.get(read, Duration.ofSeconds(20), "reading the whole request")).isEqualTo(TOTAL_BYTES);
      assertThat(stream.awaitResponse(WAIT).head().getStatus()).isEqualTo(204);
      local.close();
    }
  }

  /** Reads one request with a {@code TOTAL_BYTES} body, checks the pattern, answers 204; returns body bytes. */
  private static long readRequest(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      int matched = 0;
      while (matched < 4) { // up to the blank line after the headers
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("connection closed in the request head");
        }
        matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
      }
      byte[] buf = new byte[64 * 1024];
      long body = 0;
      while (body < TOTAL_BYTES) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, TOTAL_BYTES - body));
        if (n < 0) {
          throw new AssertionError("connection closed after " + body + " body bytes");
        }
        for (int i = 0; i < n; i++) {
          if (buf[i] != pattern(body + i)) {
            throw new AssertionError("byte " + (body + i) + " differs");
          }
        }
        body += n;
      }
      OutputStream out = socket.getOutputStream();
      out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return body;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits until {@code counter} stops moving for half a second; returns where it stopped. */
  private static long awaitNoProgress(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = counter.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
      Thread.sleep(500);
    }
    throw new AssertionError("the local response never stalled (at " + counter.get() + " bytes)");
  }

  private static byte pattern(long index) {
    return (byte) (index % 251);
  }

  private static void respondWithPattern(ChannelHandlerContext ctx, AtomicLong produced) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, TOTAL_BYTES);
    ctx.write(head);
    ctx.writeAndFlush(new HttpChunkedInput(new PatternInput(produced)));
  }

  /** {@code TOTAL_BYTES} of the test pattern, produced only as fast as the channel takes them. */
  private static final class PatternInput implements ChunkedInput<ByteBuf> {
    private final AtomicLong produced;
    private long offset;

    PatternInput(AtomicLong produced) {
      this.produced = produced;
    }

    @Override
    public boolean isEndOfInput() {
      return offset >= TOTAL_BYTES;
    }

    @Override
    public void close() {}

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
      return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
      int n = (int) Math.min(64 * 1024, TOTAL_BYTES - offset);
      byte[] bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        bytes[i] = pattern(offset + i);
      }
      // One bulk write: with the paranoid leak detector every ByteBuf access records a stack trace.
      ByteBuf buf = allocator.buffer(n).writeBytes(bytes);
      offset += n;
      produced.set(offset);
      return buf;
    }

    @Override
    public long length() {
      return TOTAL_BYTES;
    }

    @Override
    public long progress() {
      return offset;
    }
  }
}

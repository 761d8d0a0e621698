package dev.grok.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.RequestHead;
import dev.grok.protocol.v1.ServerFrame;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding of the two frames every exchange sends: a request head with ten headers, and a 64 KiB body
 * chunk (the copy into and out of protobuf bytes is what a zero-copy marshaller would save).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FrameBenchmark {
  private final byte[] chunk = new byte[64 * 1024];
  private final ServerFrame head = ServerFrame.newBuilder().setRequestHead(headOf()).build();
  private final byte[] headBytes = head.toByteArray();
  private final byte[] dataBytes = ServerFrame.newBuilder()
      .setData(Data.newBuilder().setBytes(ByteString.copyFrom(chunk))).build().toByteArray();

  private static RequestHead headOf() {
    RequestHead.Builder b = RequestHead.newBuilder().setExchangeId(42).setTunnelId(1).setMethod("GET")
        .setUri("/api/items?page=2&sort=name").setRemoteAddress("203.0.113.7").setEndOfBody(true);
    String[][] headers = {
        {"Host", "demo.localhost:8080"}, {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"},
        {"Accept", "application/json"}, {"Accept-Encoding", "gzip, deflate, br"},
        {"Cookie", "session=abc123; theme=dark"}, {"Cache-Control", "no-cache"},
        {"X-Request-Id", "0f8fad5b-d9cb-469f-a165-70867728950e"}, {"X-Forwarded-For", "203.0.113.7"},
        {"X-Forwarded-Host", "demo.localhost:8080"}, {"X-Forwarded-Proto", "http"}};
    for (String[] h : headers) {
      b.addHeaders(Header.newBuilder().setName(h[0]).setValue(h[1]));
    }
    return b.build();
  }

  @Benchmark
  public byte[] encodeRequestHead() {
    return ServerFrame.newBuilder().setRequestHead(headOf()).build().toByteArray();
  }

  @Benchmark
  public ServerFrame decodeRequestHead() throws InvalidProtocolBufferException {
    return ServerFrame.parseFrom(headBytes);
  }

  @Benchmark
  public byte[] encodeDataChunk() {
    return ServerFrame.newBuilder().setData(Data.newBuilder().setBytes(ByteString.copyFrom(chunk)))
        .build().toByteArray();
  }

  @Benchmark
  public ServerFrame decodeDataChunk() throws InvalidProtocolBufferException {
    return ServerFrame.parseFrom(dataBytes);
  }
}

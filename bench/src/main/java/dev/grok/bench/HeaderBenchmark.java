package dev.grok.bench;

import dev.grok.common.http.HopByHop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
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

/** Hop-by-hop filtering of a browser-like request's headers (done once per exchange at the edge and the client). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HeaderBenchmark {
  private final HttpHeaders headers = new DefaultHttpHeaders()
      .add("Host", "demo.localhost:8080")
      .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)")
      .add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
      .add("Accept-Language", "en-US,en;q=0.5")
      .add("Accept-Encoding", "gzip, deflate, br")
      .add("Connection", "keep-alive")
      .add("Cookie", "session=abc123; theme=dark")
      .add("Upgrade-Insecure-Requests", "1")
      .add("Sec-Fetch-Dest", "document")
      .add("Cache-Control", "max-age=0");

  @Benchmark
  public List<Map.Entry<String, String>> endToEnd() {
    return HopByHop.endToEnd(headers);
  }
}

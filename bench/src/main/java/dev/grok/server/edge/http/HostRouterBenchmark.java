package dev.grok.server.edge.http;

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

/** Host header to tunnel name, once per request at the edge (in HostRouter's package: it is package-private). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HostRouterBenchmark {
  private final HostRouter router = new HostRouter("tunnel.example.com");

  @Benchmark
  public String routeWithPort() {
    return router.nameOf("Demo-App.tunnel.example.com:8080");
  }

  @Benchmark
  public String routeForeignHost() {
    return router.nameOf("www.example.org");
  }
}

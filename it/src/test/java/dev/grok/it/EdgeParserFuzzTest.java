package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grok.server.edge.guard.EdgeGuardConfig;
import dev.grok.server.edge.guard.EdgeGuardMetrics;
import dev.grok.server.edge.guard.EdgeRefusal;
import dev.grok.server.edge.guard.Http1RequestGuard;
import dev.grok.testing.leak.LeakDetection;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A seeded mutation fuzzer over the hostile corpus, against the edge's request parsing (the guard in front of
 * Netty's strict decoder, on an {@code EmbeddedChannel}). For every input: nothing throws, nothing leaks, the
 * decoder never fails on what the guard let through (the guard is the stricter of the two), and the same bytes
 * give the same transcript whole or cut into random pieces. Bounded by {@link #BUDGET_MILLIS} and
 * {@link #MAX_INPUTS}; the seed is fixed, so a run is reproducible. An input that breaks a rule is written to
 * {@code target/fuzz-failures/} with the failure; copy it into {@code src/test/resources/fuzz-regressions/}, where
 * every file is replayed first on every run.
 */
@ExtendWith(LeakDetection.class)
class EdgeParserFuzzTest {
  static final long SEED = 0x67726f6bL;
  static final long BUDGET_MILLIS = 3_000;
  static final int MAX_INPUTS = 50_000;
  private static final byte[] INTERESTING = " \t\r\n\0:;,=\"0123456789abcdefxX-+\u000b\u007f\u0080".getBytes(
      StandardCharsets.ISO_8859_1);

  @Test
  void regressionInputsKeepTheRules() throws Exception {
    Path dir = Path.of(EdgeParserFuzzTest.class.getResource("/fuzz-regressions").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      check(Files.readAllBytes(f), new Random(SEED), f.getFileName().toString());
    }
  }

  @Test
  void mutatedCorpusKeepsTheRules() throws Exception {
    List<byte[]> seeds = HostileCorpus.all().map(c -> c.bytes("a.localhost", "b.localhost")).toList();
    Random random = new Random(SEED);
    long deadline = System.nanoTime() + BUDGET_MILLIS * 1_000_000;
    int inputs = 0;
    while (inputs < MAX_INPUTS && System.nanoTime() < deadline) {
      byte[] input = mutate(seeds, random);
      check(input, random, "input " + inputs);
      inputs++;
    }
    assertThat(inputs).as("inputs tried").isGreaterThan(100);
  }

  private static void check(byte[] input, Random random, String name) throws IOException {
    String whole;
    String split;
    try {
      whole = transcript(input, List.of(input.length));
      split = transcript(input, cuts(input.length, random));
    } catch (RuntimeException | AssertionError e) {
      throw failure(input, name, e.toString());
    }
    if (whole.contains("DECODER-FAILURE")) {
      throw failure(input, name, "the decoder failed on what the guard passed:\n" + whole);
    }
    if (!whole.equals(split)) {
      throw failure(input, name, "whole and split differ:\n" + whole + "\n---\n" + split);
    }
  }

  private static AssertionError failure(byte[] input, String name, String what) throws IOException {
    Path dir = Path.of("target", "fuzz-failures");
    Files.createDirectories(dir);
    Path file = dir.resolve("failure-" + Integer.toHexString(java.util.Arrays.hashCode(input)) + ".bin");
    Files.write(file, input);
    String base64 = input.length <= 1024 ? ", base64 " + Base64.getEncoder().encodeToString(input) : "";
    return new AssertionError(name + " broke a rule (kept in " + file.toAbsolutePath() + base64 + "): "
        + (what.length() > 4000 ? what.substring(0, 4000) + "..." : what));
  }

  /** What the decoder emitted for {@code input} delivered in pieces of the given sizes. */
  static String transcript(byte[] input, List<Integer> pieces) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(Http1RequestGuard.NAME, new Http1RequestGuard(EdgeGuardConfig.DEFAULTS,
        EdgeGuardMetrics.NONE));
    ch.pipeline().addLast(new HttpServerCodec(Http1RequestGuard.decoderConfig())); // as on the edge
    StringBuilder out = new StringBuilder();
    StringBuilder body = new StringBuilder();
    try {
      int at = 0;
      for (int size : pieces) {
        if (at >= input.length) {
          break;
        }
        int n = Math.min(size, input.length - at);
        ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
        at += n;
        drain(ch, out, body);
      }
      ch.checkException();
    } finally {
      ch.finishAndReleaseAll();
    }
    return out.toString();
  }

  private static void drain(EmbeddedChannel ch, StringBuilder out, StringBuilder body) {
    Object msg;
    while ((msg = ch.readInbound()) != null) {
      try {
        if (msg instanceof EdgeRefusal r) {
          out.append("REFUSED ").append(r.status()).append(' ').append(r.reason()).append('\n');
          continue;
        }
        if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
          out.append("DECODER-FAILURE ").append(o.decoderResult().cause()).append('\n');
        }
        if (msg instanceof HttpRequest req) {
          out.append("REQ ").append(req.method()).append(' ').append(req.uri()).append(' ')
              .append(req.protocolVersion()).append(' ').append(req.headers().entries()).append('\n');
        }
        if (msg instanceof HttpContent content) {
          body.append(content.content().toString(StandardCharsets.ISO_8859_1));
        }
        if (msg instanceof LastHttpContent last) {
          out.append("BODY ").append(body.length()).append(' ').append(body.toString().hashCode())
              .append(" TRAILERS ").append(last.trailingHeaders().entries()).append('\n');
          body.setLength(0);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  private static List<Integer> cuts(int length, Random random) {
    List<Integer> sizes = new ArrayList<>();
    for (int left = length; left > 0; ) {
      int n = 1 + random.nextInt(Math.min(left, random.nextBoolean() ? 4 : 64));
      sizes.add(n);
      left -= n;
    }
    return sizes;
  }

  static byte[] mutate(List<byte[]> seeds, Random random) {
    byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
    int rounds = 1 + random.nextInt(4);
    for (int r = 0; r < rounds && b.length > 0; r++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(5)) {
        case 0 -> b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
        case 1 -> b = insert(b, at, new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]});
        case 2 -> b = delete(b, at, 1 + random.nextInt(Math.min(8, b.length - at)));
        case 3 -> {
          int len = 1 + random.nextInt(Math.min(32, b.length - at));
          b = insert(b, random.nextInt(b.length), java.util.Arrays.copyOfRange(b, at, at + len));
        }
        default -> {
          byte[] other = seeds.get(random.nextInt(seeds.size()));
          int from = random.nextInt(other.length);
          b = insert(b, at, java.util.Arrays.copyOfRange(other, from, Math.min(other.length, from + 48)));
        }
      }
    }
    return b;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] r = new byte[b.length + what.length];
    System.arraycopy(b, 0, r, 0, at);
    System.arraycopy(what, 0, r, at, what.length);
    System.arraycopy(b, at, r, at + what.length, b.length - at);
    return r;
  }

  private static byte[] delete(byte[] b, int at, int len) {
    byte[] r = new byte[b.length - len];
    System.arraycopy(b, 0, r, 0, at);
    System.arraycopy(b, at + len, r, at, b.length - at - len);
    return r;
  }
}

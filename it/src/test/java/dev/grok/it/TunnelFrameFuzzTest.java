package dev.grok.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.grok.common.Limits;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.CloseTunnel;
import dev.grok.protocol.v1.ControlEvent;
import dev.grok.protocol.v1.ControlRequest;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.Heartbeat;
import dev.grok.protocol.v1.Hello;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.OpenTunnel;
import dev.grok.protocol.v1.ResponseHead;
import dev.grok.protocol.v1.Retire;
import dev.grok.protocol.v1.TunnelGrpc;
import dev.grok.testing.http.RawHttp;
import dev.grok.testing.http.RawRequest;
import dev.grok.testing.leak.LeakDetection;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seeded fuzzer of the tunnel port's frame handling on a real server: a gRPC client with a valid token opens
 * {@code Control} and {@code Exchange} calls and sends mutated {@code ControlRequest}s and {@code ClientFrame}s, both
 * structurally (random field values, frames out of order, Data on an idle stream, huge ids, repeated ends, a retire
 * in the middle of an exchange a visitor started) and as bytes (valid frames flipped, cut or extended, sent through
 * a raw byte marshaller so malformed protobuf reaches the server). Rules: no handler throws (grpc-java logs every
 * exception that escapes a call's listener at SEVERE; the one allowed is its own "Invalid protobuf byte sequence",
 * after which it ends the call with {@code UNKNOWN}; any status a call ends with is fine), every call ends within
 * {@link #CALL_BOUND} once the fuzzer lets go of its connection, a visitor of the fuzzed tunnel gets an answer or a
 * closed connection within its read timeout, the normal tunnel answers 200 before, between and after the cases, and
 * nothing leaks. Bounded by {@link #BUDGET_MILLIS} (at least {@link #MIN_CASES} cases); the seed is fixed
 * ({@code -Dgrok.fuzz.seed=N} for another). A case that breaks a rule is written to
 * {@code target/fuzz-failures/}; copy it into {@code src/test/resources/tunnel-fuzz-regressions/}, where every case
 * is replayed first.
 */
@ExtendWith(LeakDetection.class)
@Timeout(120)
class TunnelFrameFuzzTest {
  static final long SEED = Long.getLong("grok.fuzz.seed", 0x74756e6eL);
  static final long BUDGET_MILLIS = 3_000;
  static final int MAX_STEPS = 12;
  /** Cases run even when the budget is spent (a loaded machine runs fewer in the budget; not fewer than these). */
  static final int MIN_CASES = 8;
  static final String FUZZED = "fuzzed";
  /** How long the calls of a case may take to end after the fuzzer let go, and a Welcome may take. */
  static final Duration CALL_BOUND = Duration.ofSeconds(10);
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  static final MethodDescriptor<byte[], byte[]> CONTROL = raw(TunnelGrpc.getControlMethod());
  static final MethodDescriptor<byte[], byte[]> EXCHANGE = raw(TunnelGrpc.getExchangeMethod());

  /** Every SEVERE record of grpc-java's loggers while the class runs: an exception that escaped a handler. */
  static final List<LogRecord> SEVERE = new CopyOnWriteArrayList<>();
  private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");
  private static final Handler RECORDER = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
        SEVERE.add(r);
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @RegisterExtension
  static final OneTunnel tunnel = OneTunnel.builder("steady").responseTimeout(Duration.ofSeconds(1)).build();

  private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> typed) {
    return typed.toBuilder(BYTES, BYTES).build();
  }

  /** One step of a case: {@code C} a message on the control call, {@code E0}..{@code E2} on that exchange call. */
  record Step(String where, byte[] bytes) {
    String line() {
      return where + " " + Base64.getEncoder().encodeToString(bytes);
    }

    static Step parse(String line) {
      String[] parts = line.split(" ", 2);
      return new Step(parts[0], Base64.getDecoder().decode(parts.length > 1 ? parts[1] : ""));
    }
  }

  @BeforeAll
  static void recordSevere() {
    GRPC_LOGGER.addHandler(RECORDER);
  }

  @AfterAll
  static void stopRecording() {
    GRPC_LOGGER.removeHandler(RECORDER);
  }

  /** The first SEVERE record that is not grpc-java refusing a malformed message, as text; null when none. */
  private static String handlerException() {
    for (LogRecord r : SEVERE) {
      Throwable t = r.getThrown();
      boolean malformed = t instanceof StatusRuntimeException e && e.getStatus().getCode() == Status.Code.INTERNAL
          && e.getCause() instanceof InvalidProtocolBufferException;
      if (!malformed) {
        StringWriter trace = new StringWriter();
        if (t != null) {
          t.printStackTrace(new PrintWriter(trace));
        }
        return r.getMessage() + " " + trace;
      }
    }
    return null;
  }

  @Test
  void regressionCasesKeepTheRules() throws Exception {
    Path dir = Path.of(TunnelFrameFuzzTest.class.getResource("/tunnel-fuzz-regressions").toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".case")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    String token = tunnel.server().createToken("fuzz-regressions", "fuzzer").token();
    assertSteady();
    for (Path f : files) {
      List<Step> steps = Files.readAllLines(f, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).map(Step::parse).toList();
      runCase(token, steps, f.getFileName().toString());
    }
  }

  @Test
  void mutatedFramesKeepTheRules() throws Exception {
    String token = tunnel.server().createToken("fuzz", "fuzzer").token();
    Random random = new Random(SEED);
    assertSteady();
    long deadline = System.nanoTime() + BUDGET_MILLIS * 1_000_000;
    int cases = 0;
    int steps = 0;
    while (cases < MIN_CASES || System.nanoTime() < deadline) {
      List<Step> c = generate(random);
      runCase(token, c, "case " + cases + " of seed " + Long.toHexString(SEED));
      cases++;
      steps += c.size();
    }
    assertThat(steps).as("frames sent").isGreaterThan(cases);
  }

  /** Runs one case on its own connection and checks the rules; a broken rule is written to target/fuzz-failures. */
  private static void runCase(String token, List<Step> steps, String name) throws Exception {
    String broken;
    try {
      broken = play(token, steps);
      if (broken == null && !steady()) {
        broken = "the normal tunnel stopped answering 200";
      }
    } catch (RuntimeException | AssertionError e) {
      broken = e.toString();
    }
    if (broken != null) {
      Path dir = Path.of("target", "fuzz-failures");
      Files.createDirectories(dir);
      StringBuilder text = new StringBuilder("# " + name + ": " + broken.replace('\n', ' ') + "\n");
      steps.forEach(s -> text.append(s.line()).append('\n'));
      Path file = dir.resolve("tunnel-" + Integer.toHexString(text.toString().hashCode()) + ".case");
      Files.writeString(file, text);
      throw new AssertionError(name + " broke a rule (kept in " + file.toAbsolutePath() + "): " + broken);
    }
  }

  /** Plays {@code steps}; null when every rule held, else what broke. */
  private static String play(String token, List<Step> steps) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", tunnel.server().tunnelPort())
        .usePlaintext().build();
    List<Ending> endings = new CopyOnWriteArrayList<>();
    List<CompletableFuture<String>> visitors = new ArrayList<>();
    try {
      AtomicReference<String> session = new AtomicReference<>();
      CountDownLatch welcomed = new CountDownLatch(1);
      Ending control = new Ending("control", bytes -> {
        try {
          ControlEvent e = ControlEvent.parseFrom(bytes);
          if (e.hasWelcome()) {
            session.set(e.getWelcome().getSessionId());
            welcomed.countDown();
          }
        } catch (IOException malformed) {
          throw new AssertionError("the server sent a malformed ControlEvent", malformed);
        }
      });
      endings.add(control);
      StreamObserver<byte[]> controlOut =
          ClientCalls.asyncBidiStreamingCall(call(channel, CONTROL, token, null), control);
      StreamObserver<byte[]>[] exchanges = newExchangeArray();
      for (Step step : steps) {
        switch (step.where()) {
          case "C" -> controlOut.onNext(step.bytes());
          case "V" -> visitors.add(CompletableFuture.supplyAsync(TunnelFrameFuzzTest::visitFuzzed));
          default -> {
            int i = Integer.parseInt(step.where().substring(1));
            if (exchanges[i] == null) {
              welcomed.await(CALL_BOUND.toMillis() / 10, TimeUnit.MILLISECONDS);
              Ending e = new Ending("exchange " + i, bytes -> { });
              endings.add(e);
              String id = session.get() != null ? session.get() : "no-such-session";
              exchanges[i] = ClientCalls.asyncBidiStreamingCall(call(channel, EXCHANGE, token, id), e);
            }
            exchanges[i].onNext(step.bytes());
          }
        }
      }
    } finally {
      channel.shutdownNow();
    }
    if (!channel.awaitTermination(CALL_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
      return "the connection did not terminate within " + CALL_BOUND;
    }
    for (Ending e : endings) {
      if (!e.ended.await(CALL_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        return e.name + " did not end within " + CALL_BOUND + " after the connection closed";
      }
      if (e.failure.get() != null) {
        return e.name + ": " + e.failure.get();
      }
    }
    for (CompletableFuture<String> v : visitors) {
      String outcome = v.get(RawHttp.DEFAULT_TIMEOUT.toMillis() + CALL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      if (outcome.startsWith("hang")) {
        return "a visitor of the fuzzed tunnel " + outcome;
      }
    }
    String thrown = handlerException();
    return thrown == null ? null : "an exception escaped a server handler: " + thrown;
  }

  @SuppressWarnings("unchecked")
  private static StreamObserver<byte[]>[] newExchangeArray() {
    return new StreamObserver[3];
  }

  /** A visitor of the fuzzed tunnel: any answer or a closed connection is fine, a read timeout is a hang. */
  private static String visitFuzzed() {
    try {
      return "status " + RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/v").host(tunnel.host(FUZZED)))
          .status();
    } catch (java.net.SocketTimeoutException e) {
      return "hang: no answer within " + RawHttp.DEFAULT_TIMEOUT;
    } catch (IOException e) {
      return "closed: " + e;
    }
  }

  private static ClientCall<byte[], byte[]> call(ManagedChannel channel, MethodDescriptor<byte[], byte[]> method,
      String token, String session) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of(Limits.AUTHORIZATION_HEADER, Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    if (session != null) {
      md.put(Metadata.Key.of(Limits.SESSION_HEADER, Metadata.ASCII_STRING_MARSHALLER), session);
    }
    return io.grpc.ClientInterceptors.intercept(channel,
        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md)).newCall(method, CallOptions.DEFAULT);
  }

  /** What the client saw of one call: its end (a status) and any rule its messages broke. */
  static final class Ending implements StreamObserver<byte[]> {
    final String name;
    final java.util.function.Consumer<byte[]> onMessage;
    final CountDownLatch ended = new CountDownLatch(1);
    final AtomicReference<Status> status = new AtomicReference<>();
    final AtomicReference<String> failure = new AtomicReference<>();

    Ending(String name, java.util.function.Consumer<byte[]> onMessage) {
      this.name = name;
      this.onMessage = onMessage;
    }

    @Override
    public void onNext(byte[] value) {
      try {
        onMessage.accept(value);
      } catch (AssertionError e) {
        failure.compareAndSet(null, e.toString());
      }
    }

    @Override
    public void onError(Throwable t) {
      status.set(Status.fromThrowable(t));
      ended.countDown();
    }

    @Override
    public void onCompleted() {
      status.set(Status.OK);
      ended.countDown();
    }
  }

  // ---- generation ----

  private static List<Step> generate(Random r) {
    List<Step> steps = new ArrayList<>();
    if (r.nextInt(8) != 0) {
      steps.add(new Step("C", hello(r).toByteArray()));
    }
    if (r.nextInt(3) != 0) {
      steps.add(new Step("C", ControlRequest.newBuilder().setOpenTunnel(OpenTunnel.newBuilder().setTunnelId(1)
          .setKindValue(1).setSubdomain(FUZZED)).build().toByteArray()));
    }
    int n = 1 + r.nextInt(MAX_STEPS);
    for (int i = 0; i < n; i++) {
      int what = r.nextInt(10);
      if (what == 0) {
        steps.add(new Step("V", new byte[0]));
      } else if (what <= 3) {
        steps.add(new Step("C", bytes(r, controlRequest(r).toByteArray())));
      } else {
        steps.add(new Step("E" + r.nextInt(3), bytes(r, clientFrame(r).toByteArray())));
      }
    }
    return steps;
  }

  /** The valid frame, or (one time in three) its bytes mutated. */
  private static byte[] bytes(Random r, byte[] valid) {
    if (r.nextInt(3) != 0) {
      return valid;
    }
    byte[] b = valid;
    int mutations = 1 + r.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      switch (r.nextInt(5)) {
        case 0 -> {
          if (b.length > 0) {
            b = b.clone();
            b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
          }
        }
        case 1 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
        case 2 -> {
          byte[] tail = new byte[1 + r.nextInt(16)];
          r.nextBytes(tail);
          byte[] longer = Arrays.copyOf(b, b.length + tail.length);
          System.arraycopy(tail, 0, longer, b.length, tail.length);
          b = longer;
        }
        case 3 -> {
          if (b.length > 0) {
            b = b.clone();
            b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? 0xff : 0x80); // varint continuation, huge lengths
          }
        }
        default -> {
          b = new byte[r.nextInt(32)];
          r.nextBytes(b);
        }
      }
    }
    return b;
  }

  private static Hello hello(Random r) {
    return Hello.newBuilder().setClientVersion(text(r)).setStandbyStreams(integer(r)).build();
  }

  private static ControlRequest controlRequest(Random r) {
    ControlRequest.Builder b = ControlRequest.newBuilder();
    switch (r.nextInt(5)) {
      case 0 -> b.setHello(hello(r));
      case 1 -> b.setOpenTunnel(OpenTunnel.newBuilder().setTunnelId(integer(r)).setKindValue(r.nextInt(5) - 1)
          .setSubdomain(r.nextBoolean() ? FUZZED : text(r)).setRemotePort(integer(r)).setLocalUrl(text(r))
          .setBasicAuth(r.nextInt(4) == 0 ? text(r) : "").setCompressionValue(r.nextInt(7) - 1));
      case 2 -> b.setCloseTunnel(CloseTunnel.newBuilder().setTunnelId(integer(r)));
      case 3 -> b.setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(r.nextLong()));
      default -> { } // no kind at all
    }
    return b.build();
  }

  private static ClientFrame clientFrame(Random r) {
    ClientFrame.Builder b = ClientFrame.newBuilder();
    switch (r.nextInt(5)) {
      case 0 -> {
        ResponseHead.Builder h = ResponseHead.newBuilder()
            .setStatus(r.nextInt(4) == 0 ? integer(r) : 100 + r.nextInt(500))
            .setReason(text(r)).setEndOfBody(r.nextBoolean()).setBody(bytes(r));
        for (int i = r.nextInt(4); i > 0; i--) {
          h.addHeaders(Header.newBuilder().setName(r.nextBoolean() ? "content-length" : text(r)).setValue(text(r)));
        }
        b.setResponseHead(h);
      }
      case 1 -> b.setData(Data.newBuilder().setBytes(bytes(r)).setEndOfBody(r.nextBoolean()));
      case 2 -> b.setLocalFailure(LocalFailure.newBuilder().setKindValue(r.nextInt(5) - 1).setMessage(text(r)));
      case 3 -> b.setRetire(Retire.getDefaultInstance());
      default -> { } // no kind at all
    }
    return b.build();
  }

  /** 0, 1, the largest values, or anything (negative as signed). */
  private static int integer(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> 0;
      case 1 -> 1;
      case 2 -> -1;
      case 3 -> Integer.MAX_VALUE;
      default -> r.nextInt();
    };
  }

  private static String text(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> "";
      case 1 -> "x".repeat(r.nextInt(5_000));
      case 2 -> "a\r\nb: c\u0000\u00e9\ud83d\ude00";
      default -> Long.toString(r.nextLong(), 36);
    };
  }

  private static ByteString bytes(Random r) {
    byte[] b = new byte[r.nextInt(4) == 0 ? r.nextInt(70_000) : r.nextInt(64)];
    r.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  // ---- the normal tunnel ----

  private static boolean steady() throws IOException {
    return RawHttp.exchange(tunnel.httpPort(), RawRequest.get("/steady").host(tunnel.host())).status() == 200;
  }

  private static void assertSteady() throws IOException {
    assertThat(steady()).as("the normal tunnel answers 200").isTrue();
  }
}

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The load of dist/aot-train.sh's training run (a single-file program for the JDK's source launcher, not part of
 * any jar): a local origin on 127.0.0.1 and, once the grok client tunnels to it, a few thousand exchanges of each
 * kind through the tunnel (1 KiB GETs on keep-alive connections, POSTs with a 64 KiB body, 1 MiB downloads,
 * WebSocket echoes; at most {@link #LOAD_SECONDS}), so that the JVMs' ahead-of-time caches carry the method profiles of the request path (JEP 515)
 * and a fresh server and client reach their steady speed sooner.
 *
 * <pre>java AotTrainLoad.java WORK_DIR HTTP_PORT</pre>
 * It writes WORK_DIR/origin.port, waits (at most 180 s) for WORK_DIR/host (the tunnel's Host header, written by
 * aot-train.sh after the client's Forwarding line), runs the load against 127.0.0.1:HTTP_PORT, and exits 0 when
 * every exchange got the expected answer, 1 otherwise.
 */
public final class AotTrainLoad {
  /**
   * Exchanges per kind and connection, and connections per kind; each connection stops early when
   * {@link #LOAD_SECONDS} have passed (a busy machine: the training must end in bounded time).
   */
  static final int GETS = 1500;
  static final int POSTS = 300;
  static final int DOWNLOADS = 10;
  static final int ECHOES = 1000;
  static final int CONNECTIONS = 4;
  static final int LOAD_SECONDS = 8;
  static final int SMALL_BYTES = 1024;
  static final int POST_BYTES = 64 * 1024;
  static final int DOWNLOAD_BYTES = 1024 * 1024;
  static final int TIMEOUT_MILLIS = 30_000;

  private static final byte[] SMALL = filled(SMALL_BYTES);
  private static final byte[] DOWNLOAD = filled(DOWNLOAD_BYTES);

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int httpPort = Integer.parseInt(args[1]);
    ServerSocket origin = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("origin").start(() -> serve(origin));
    Files.writeString(work.resolve("origin.port.tmp"), origin.getLocalPort() + "\n");
    Files.move(work.resolve("origin.port.tmp"), work.resolve("origin.port"));
    Path hostFile = work.resolve("host");
    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!Files.exists(hostFile) || Files.size(hostFile) == 0) {
      if (System.nanoTime() > waitUntil) {
        throw new IllegalStateException("no " + hostFile + " within 180 s");
      }
      Thread.sleep(50);
    }
    String host = Files.readString(hostFile).trim();
    // Daemon threads: a failed run ends the program (main's exception) instead of waiting for stuck connections.
    ExecutorService pool = Executors.newFixedThreadPool(4 * CONNECTIONS, r -> Thread.ofPlatform().daemon()
        .unstarted(r));
    List<Future<Integer>> runs = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
    for (int c = 0; c < CONNECTIONS; c++) {
      runs.add(pool.submit(() -> gets(httpPort, host, deadline)));
      runs.add(pool.submit(() -> posts(httpPort, host, deadline)));
      runs.add(pool.submit(() -> downloads(httpPort, host, deadline)));
      runs.add(pool.submit(() -> echoes(httpPort, host, deadline)));
    }
    int exchanges = 0;
    for (Future<Integer> run : runs) {
      exchanges += run.get(LOAD_SECONDS + 60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    System.out.println("aot-train load: " + exchanges + " exchanges through the tunnel");
  }

  private static int gets(int port, String host, long deadlineNanos) throws IOException {
    int i = 0;
    try (Socket s = connect(port)) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      for (; i < GETS && System.nanoTime() < deadlineNanos; i++) {
        send(s, "GET /small?i=" + i + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n", null);
        expect(in, SMALL.length);
      }
    }
    return i;
  }

  private static int posts(int port, String host, long deadlineNanos) throws IOException {
    byte[] body = filled(POST_BYTES);
    int i = 0;
    try (Socket s = connect(port)) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      for (; i < POSTS && System.nanoTime() < deadlineNanos; i++) {
        send(s, "POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n", body);
        expect(in, body.length);
      }
    }
    return i;
  }

  private static int downloads(int port, String host, long deadlineNanos) throws IOException {
    int i = 0;
    try (Socket s = connect(port)) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      for (; i < DOWNLOADS && System.nanoTime() < deadlineNanos; i++) {
        send(s, "GET /download HTTP/1.1\r\nHost: " + host + "\r\n\r\n", null);
        expect(in, DOWNLOAD.length);
      }
    }
    return i;
  }

  private static int echoes(int port, String host, long deadlineNanos) throws Exception {
    int i = 0;
    try (Socket s = connect(port)) {
      String key = Base64.getEncoder().encodeToString(filled(16));
      send(s, "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n", null);
      InputStream in = new BufferedInputStream(s.getInputStream());
      List<String> head = readHead(in);
      if (head == null || !head.get(0).startsWith("HTTP/1.1 101")) {
        throw new IOException("WebSocket upgrade answered " + (head == null ? "nothing" : head.get(0)));
      }
      OutputStream out = s.getOutputStream();
      for (; i < ECHOES && System.nanoTime() < deadlineNanos; i++) {
        byte[] text = ("echo " + i + " " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);
        writeFrame(out, text, true);
        byte[] back = readFrame(in);
        if (back == null || !new String(back, StandardCharsets.UTF_8).equals(new String(text, StandardCharsets.UTF_8))) {
          throw new IOException("WebSocket echo " + i + " came back wrong");
        }
      }
      out.write(new byte[] {(byte) 0x88, (byte) 0x80, 0, 0, 0, 0}); // close, masked, no payload
      out.flush();
    }
    return i;
  }

  // ---- the origin: HTTP/1.1 keep-alive, one thread per connection ----

  private static void serve(ServerSocket origin) {
    while (true) {
      try {
        Socket s = origin.accept();
        Thread.ofPlatform().daemon().start(() -> answer(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void answer(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
      while (true) {
        List<String> head = readHead(in);
        if (head == null) {
          return;
        }
        String path = head.get(0).split(" ")[1];
        String length = header(head, "content-length");
        byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
        if (path.equals("/ws")) {
          String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
              (header(head, "sec-websocket-key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                  .getBytes(StandardCharsets.US_ASCII)));
          out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          byte[] frame;
          while ((frame = readFrame(in)) != null) {
            writeFrame(out, frame, false);
          }
          return;
        }
        byte[] answer = switch (path) {
          case "/echo" -> body;
          case "/download" -> DOWNLOAD;
          default -> SMALL;
        };
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + answer.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(answer);
        out.flush();
      }
    } catch (Exception e) {
      // the tunnel closed the connection: nothing to answer
    }
  }

  // ---- bytes on the wire ----

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
    s.setSoTimeout(TIMEOUT_MILLIS);
    s.setTcpNoDelay(true);
    return s;
  }

  private static void send(Socket s, String head, byte[] body) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    if (body != null) {
      out.write(body);
    }
    out.flush();
  }

  /** Reads one response and checks it is a 200 with a body of {@code bytes}. */
  private static void expect(InputStream in, int bytes) throws IOException {
    List<String> head = readHead(in);
    if (head == null || !head.get(0).startsWith("HTTP/1.1 200")) {
      throw new IOException("expected 200, got " + (head == null ? "end of stream" : head.get(0)));
    }
    String length = header(head, "content-length");
    if (length == null) {
      throw new IOException("no Content-Length in " + head);
    }
    int n = in.readNBytes(Integer.parseInt(length)).length;
    if (n != bytes) {
      throw new IOException("expected " + bytes + " body bytes, got " + n);
    }
  }

  /** The request or status line and the header lines; null at the end of the stream before a head. */
  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        line.reset();
        if (text.isEmpty()) {
          return lines;
        }
        lines.add(text);
      } else {
        line.write(b);
      }
    }
    if (lines.isEmpty() && line.size() == 0) {
      return null;
    }
    throw new IOException("stream ended inside a head");
  }

  private static String header(List<String> head, String name) {
    for (String line : head.subList(1, head.size())) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** One WebSocket frame (FIN, opcode text; payloads under 64 KiB), masked when sent by the client. */
  private static void writeFrame(OutputStream out, byte[] payload, boolean masked) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 8);
    f.write(0x81);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      f.write(maskBit | payload.length);
    } else {
      f.write(maskBit | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    }
    byte[] mask = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(mask);
      f.write(mask, 0, 4);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /** The payload of the next data frame, null on a close frame or the end of the stream. */
  private static byte[] readFrame(InputStream in) throws IOException {
    int first = in.read();
    int second = in.read();
    if (first == -1 || second == -1 || (first & 0x0f) == 0x8) {
      return null;
    }
    long length = second & 0x7f;
    if (length == 126) {
      length = (in.read() << 8) | in.read();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | in.read();
      }
    }
    byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
    byte[] payload = in.readNBytes((int) length);
    if (mask != null) {
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
    }
    return payload;
  }

  private static byte[] filled(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}

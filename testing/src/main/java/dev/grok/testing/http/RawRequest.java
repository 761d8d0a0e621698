package dev.grok.testing.http;

import dev.grok.testing.Header;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the exact bytes of a request: the target is sent as given (no encoding, no normalization), headers in
 * the order added, nothing added behind the test's back except {@code Content-Length} for a {@link #body} when
 * no framing header was set. {@code RawRequest.get("/a%2Fb?x=1").host("demo.localhost:8080").toBytes()}.
 */
public final class RawRequest {
  private final String method;
  private final String target;
  private String version = "HTTP/1.1";
  private final List<Header> headers = new ArrayList<>();
  private byte[] body = new byte[0];
  private boolean addContentLength;

  private RawRequest(String method, String target) {
    this.method = method;
    this.target = target;
  }

  public static RawRequest of(String method, String target) {
    return new RawRequest(method, target);
  }

  public static RawRequest get(String target) {
    return new RawRequest("GET", target);
  }

  public String method() {
    return method;
  }

  /** e.g. {@code HTTP/1.0}; default {@code HTTP/1.1}. */
  public RawRequest version(String version) {
    this.version = version;
    return this;
  }

  public RawRequest host(String host) {
    return header("Host", host);
  }

  public RawRequest header(String name, String value) {
    headers.add(new Header(name, value));
    return this;
  }

  /** A body sent as is, with {@code Content-Length} unless the headers already frame it. */
  public RawRequest body(byte[] bytes) {
    this.body = bytes.clone();
    this.addContentLength = true;
    return this;
  }

  public RawRequest body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A chunked body of these pieces ({@code Transfer-Encoding: chunked} is added). */
  public RawRequest chunkedBody(String... pieces) {
    header("Transfer-Encoding", "chunked");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String piece : pieces) {
      byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
      out.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(bytes);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    this.body = out.toByteArray();
    this.addContentLength = false;
    return this;
  }

  public byte[] toBytes() {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
    boolean framed = false;
    for (Header h : headers) {
      head.append(h.name()).append(": ").append(h.value()).append("\r\n");
      framed |= h.name().equalsIgnoreCase("Content-Length") || h.name().equalsIgnoreCase("Transfer-Encoding");
    }
    if (addContentLength && !framed) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return new String(toBytes(), StandardCharsets.ISO_8859_1);
  }
}

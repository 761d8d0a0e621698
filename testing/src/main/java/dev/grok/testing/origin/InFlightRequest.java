package dev.grok.testing.origin;

import dev.grok.testing.Header;
import dev.grok.testing.Sha256;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The head of a request being received and a running digest of its body; event loop only. */
final class InFlightRequest {
  private final long connectionId;
  private final int sequence;
  private final HttpRequest head;
  private final List<Header> headers;
  private final InetSocketAddress remote;
  private final MessageDigest digest = Sha256.newDigest();
  private long length;

  InFlightRequest(long connectionId, int sequence, HttpRequest head, InetSocketAddress remote) {
    this.connectionId = connectionId;
    this.sequence = sequence;
    this.head = head;
    this.remote = remote;
    // Netty's header map iterates in insertion order, repeats kept, names as received.
    List<Header> lines = new ArrayList<>(head.headers().size());
    for (Map.Entry<String, String> e : head.headers()) {
      lines.add(new Header(e.getKey(), e.getValue()));
    }
    this.headers = lines;
  }

  void update(ByteBuf content) {
    int n = content.readableBytes();
    if (n == 0) {
      return;
    }
    if (content.nioBufferCount() == 1) {
      ByteBuffer view = content.nioBuffer(content.readerIndex(), n);
      digest.update(view);
    } else {
      byte[] copy = new byte[n];
      content.getBytes(content.readerIndex(), copy);
      digest.update(copy);
    }
    length += n;
  }

  RecordedRequest finish(boolean complete) {
    return new RecordedRequest(connectionId, sequence, head.method().name(), head.uri(),
        head.protocolVersion().text(), headers, length, Sha256.hex(digest), complete, remote);
  }
}

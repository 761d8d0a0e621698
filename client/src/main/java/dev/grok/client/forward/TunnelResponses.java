package dev.grok.client.forward;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.grok.common.http.HopByHop;
import dev.grok.protocol.v1.ClientFrame;
import dev.grok.protocol.v1.Data;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Map;

/** Builds the client frames of a response: its head, its body chunks, or a LocalFailure instead of both. */
public final class TunnelResponses {
  private TunnelResponses() {}

  /** The response head with end-to-end headers in arrival order (Content-Length kept, framing dropped). */
  static ClientFrame head(HttpResponse response, boolean endOfBody) {
    return head(response, endOfBody, false);
  }

  /** The 101 of an upgrade: its {@code Upgrade} and {@code Connection: Upgrade} stay; raw bytes follow. */
  static ClientFrame switchingProtocols(HttpResponse response) {
    return head(response, false, true);
  }

  private static ClientFrame head(HttpResponse response, boolean endOfBody, boolean upgrade) {
    return head(headBuilder(response, upgrade).setEndOfBody(endOfBody));
  }

  /** The head of a (non-upgrade) response, to be completed and sent later: {@link #head(ResponseHead.Builder)}. */
  static ResponseHead.Builder headBuilder(HttpResponse response) {
    return headBuilder(response, false);
  }

  private static ResponseHead.Builder headBuilder(HttpResponse response, boolean upgrade) {
    ResponseHead.Builder head = ResponseHead.newBuilder()
        .setStatus(response.status().code())
        .setReason(response.status().reasonPhrase());
    for (Map.Entry<String, String> e : HopByHop.endToEnd(response.headers(), upgrade)) {
      head.addHeaders(Header.newBuilder().setName(e.getKey()).setValue(e.getValue()));
    }
    return head;
  }

  static ClientFrame head(ResponseHead.Builder head) {
    return ClientFrame.newBuilder().setResponseHead(head).build();
  }

  /**
   * A held-back head with the first body chunk inside (the server said it reads ResponseHead.body). Wraps
   * {@code content} without a copy, like {@link #data}: send it before the caller releases {@code content}.
   */
  static ClientFrame headWithBody(ResponseHead.Builder head, ByteBuf content, boolean endOfBody) {
    if (content.isReadable()) {
      head.setBody(UnsafeByteOperations.unsafeWrap(content.nioBuffer()));
    }
    return head(head.setEndOfBody(endOfBody));
  }

  /**
   * A body chunk that wraps {@code content}'s memory without a copy: send it (gRPC serializes a message into its
   * own buffers inside {@code onNext}) before the caller releases {@code content}, and never keep the frame.
   */
  public static ClientFrame data(ByteBuf content, boolean endOfBody) {
    ByteString bytes = content.isReadable()
        ? UnsafeByteOperations.unsafeWrap(content.nioBuffer())
        : ByteString.EMPTY;
    return ClientFrame.newBuilder()
        .setData(Data.newBuilder().setBytes(bytes).setEndOfBody(endOfBody))
        .build();
  }

  static ClientFrame failure(LocalFailure.Kind kind, String message) {
    return ClientFrame.newBuilder()
        .setLocalFailure(LocalFailure.newBuilder().setKind(kind).setMessage(message))
        .build();
  }
}

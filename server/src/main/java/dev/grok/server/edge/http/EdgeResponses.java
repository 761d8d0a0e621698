package dev.grok.server.edge.http;

import dev.grok.common.frames.InboundData;
import dev.grok.protocol.v1.LocalFailure;
import dev.grok.protocol.v1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * What an {@link EdgeHttpExchange} writes to the visitor: the local service's response head framed for HTTP/1.x
 * (length, chunked or close-delimited, and the Connection header) and grok's own error pages. Static and
 * stateless: the exchange keeps every bit of state and calls these on its event loop.
 */
final class EdgeResponses {
  private EdgeResponses() {}

  /** A response that never has a body: to a HEAD request, 1xx, 204 and 304. */
  static boolean isBodiless(boolean isHead, int code) {
    return isHead || code < 200 || code == 204 || code == 304;
  }

  /**
   * Frames {@code response} (made from {@code head}) and writes it with the body bytes that came inside the head,
   * flushed; the last content too when {@code head} ends the body. {@code keepAlive} is what the exchange allows
   * so far; returns whether the connection stays open after this response.
   */
  static boolean writeHead(ChannelHandlerContext ctx, HttpRequest request, ResponseHead head,
      DefaultHttpResponse response, boolean noBody, boolean keepAlive) {
    HttpHeaders out = response.headers();
    boolean hasLength = out.contains(HttpHeaderNames.CONTENT_LENGTH);
    // The first body bytes may travel inside the head (Welcome.head_with_body); never for a bodiless response.
    ByteBuf inline = noBody || head.getBody().isEmpty() ? null : InboundData.wrap(head.getBody());
    if (!noBody && !hasLength) {
      if (head.getEndOfBody()) {
        out.set(HttpHeaderNames.CONTENT_LENGTH, inline == null ? 0 : inline.readableBytes());
      } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
        out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else {
        keepAlive = false; // HTTP/1.0 without a length: the end of the body is the end of the connection
      }
    }
    if (!keepAlive) {
      out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!request.protocolVersion().isKeepAliveDefault()) {
      out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    ctx.write(response);
    if (head.getEndOfBody()) {
      ctx.writeAndFlush(inline == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(inline));
    } else {
      if (inline != null) {
        ctx.write(new DefaultHttpContent(inline));
      }
      ctx.flush();
    }
    return keepAlive;
  }

  /** The body bytes {@link #writeHead} sends inside the head (for the observer). */
  static int inlineBytes(ResponseHead head, boolean noBody) {
    return noBody ? 0 : head.getBody().size();
  }

  /** The first words of the error page for a {@link LocalFailure} reported by the client. */
  static String describe(LocalFailure failure) {
    return switch (failure.getKind()) {
      case REFUSED -> "The local service refused the connection or could not be reached";
      case RESET -> "The local service closed the connection before answering";
      case PROTOCOL -> "The local service did not answer with valid HTTP";
      default -> "The local service failed";
    };
  }

  /**
   * Writes grok's own answer ({@link ErrorPages}), flushed. {@code challenge} is the WWW-Authenticate of a 401
   * (else null), {@code retryAfterSeconds} the Retry-After of a 429 (else 0).
   */
  static void writeErrorPage(ChannelHandlerContext ctx, HttpResponseStatus status, String title, String detail,
      boolean json, boolean isHead, boolean keepAlive, String challenge, long retryAfterSeconds) {
    var page = ErrorPages.render(ctx.alloc(), status, title, detail, json, isHead);
    page.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    if (challenge != null) {
      page.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
    }
    if (retryAfterSeconds > 0) {
      page.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
    }
    ctx.writeAndFlush(page);
  }
}

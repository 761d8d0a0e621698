package dev.grok.client.inspect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-sent events at {@code /api/events}: one {@code exchange} event (the summary JSON) per new or updated
 * exchange. Runs on the inspector's loop. A subscriber whose connection cannot take more (not writable) misses
 * events rather than buffering them: the page reloads the list on reconnect.
 */
final class EventStream {
  /** A comment line this often keeps proxies and the browser from timing the stream out. */
  static final long HEARTBEAT_SECONDS = 15;

  private final Inspector inspector;
  /** Open streams. Owned by the inspector's loop. */
  private final List<Channel> subscribers = new ArrayList<>();
  private final AtomicLong missed = new AtomicLong();

  EventStream(Inspector inspector) {
    this.inspector = inspector;
  }

  /** Turns {@code ch} into an event stream (response head now, events later). On the inspector's loop. */
  void subscribe(Channel ch) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    ch.write(head);
    ch.writeAndFlush(content(ch, ": grok inspector events\nretry: 1000\n\n"));
    subscribers.add(ch);
    ch.closeFuture().addListener(f -> subscribers.remove(ch));
  }

  /** Sends one exchange to every subscriber. On the inspector's loop. */
  void publish(CapturedExchange e) {
    if (subscribers.isEmpty()) {
      return;
    }
    String event = "event: exchange\ndata: " + ExchangeJson.summary(e) + "\n\n";
    for (Channel ch : subscribers) {
      if (ch.isWritable()) {
        ch.writeAndFlush(content(ch, event)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      } else {
        missed.incrementAndGet();
      }
    }
  }

  void startHeartbeat() {
    inspector.loop().scheduleAtFixedRate(() -> {
      for (Channel ch : List.copyOf(subscribers)) {
        ch.writeAndFlush(content(ch, ": heartbeat\n\n")).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      }
    }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  /** Closes every subscriber's stream; nothing to do once the inspector's loop has ended (a second close). */
  void closeAll() {
    if (inspector.loop().isShuttingDown()) {
      return; // its channels, the subscribers' among them, closed with it
    }
    try {
      inspector.loop().execute(() -> List.copyOf(subscribers).forEach(Channel::close));
    } catch (java.util.concurrent.RejectedExecutionException ended) {
      // the loop began shutting down after the check: same as above
    }
  }

  private static DefaultHttpContent content(Channel ch, String text) {
    ByteBuf buf = ByteBufUtil.writeUtf8(ch.alloc(), text);
    return new DefaultHttpContent(buf);
  }

  /** Events not sent to a subscriber that could not take them. */
  long missed() {
    return missed.get();
  }
}

package dev.grok.client.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inspector's routes: the page, {@code /metrics}, and the JSON API under {@code /api}. Runs on the inspector's
 * loop, where the exchange log lives.
 */
final class InspectorApi {
  private static final Pattern EXCHANGE = Pattern.compile("/api/requests/(\\d{1,18})(/replay|/har)?");

  private final Inspector inspector;
  private final EventStream events;
  private final StaticFiles files = new StaticFiles();
  private final Replays replays;

  InspectorApi(Inspector inspector, EventStream events) {
    this.inspector = inspector;
    this.events = events;
    this.replays = new Replays(inspector);
  }

  void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
    String path = new QueryStringDecoder(req.uri()).path();
    HttpMethod method = req.method();
    boolean get = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
    Matcher m = EXCHANGE.matcher(path);
    if (path.equals("/api/status") && get) {
      json(ctx, req, HttpResponseStatus.OK, status());
    } else if (path.equals("/api/requests") && get) {
      ObjectNode body = ExchangeJson.JSON.createObjectNode();
      ArrayNode list = body.putArray("requests");
      inspector.exchanges().newestFirst().forEach(e -> list.add(ExchangeJson.summary(e)));
      json(ctx, req, HttpResponseStatus.OK, body);
    } else if (path.equals("/api/requests") && method.equals(HttpMethod.DELETE)) {
      inspector.exchanges().clear();
      json(ctx, req, HttpResponseStatus.OK, ExchangeJson.JSON.createObjectNode().put("cleared", true));
    } else if (m.matches()) {
      exchange(ctx, req, Long.parseLong(m.group(1)), m.group(2));
    } else if (path.equals("/api/har") && get) {
      json(ctx, req, HttpResponseStatus.OK,
          HarExport.har(inspector.exchanges().newestFirst().reversed(), baseUrl()), "grok.har");
    } else if (path.equals("/api/events") && get) {
      events.subscribe(ctx.channel());
    } else if (path.equals("/metrics") && get) {
      send(ctx, req, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
          Unpooled.copiedBuffer(inspector.metrics().scrape(), StandardCharsets.UTF_8), null);
    } else if (get && files.exists(path)) {
      send(ctx, req, HttpResponseStatus.OK, files.contentType(path), Unpooled.wrappedBuffer(files.read(path)), null);
    } else if (path.startsWith("/api/") || get) {
      error(ctx, req, HttpResponseStatus.NOT_FOUND, "no such resource: " + method + " " + path
          + " (see the API in README: /api/status, /api/requests, /api/requests/ID, /api/events, /api/har)");
    } else {
      error(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: " + method + " " + path);
    }
  }

  private void exchange(ChannelHandlerContext ctx, FullHttpRequest req, long id, String action) {
    CapturedExchange e = inspector.exchanges().get(id);
    if (e == null) {
      error(ctx, req, HttpResponseStatus.NOT_FOUND, "no exchange " + id + " (the inspector keeps the last "
          + inspector.capacity() + ")");
      return;
    }
    boolean post = req.method().equals(HttpMethod.POST);
    if (action == null && !post) {
      json(ctx, req, HttpResponseStatus.OK, ExchangeJson.detail(e));
    } else if ("/har".equals(action) && !post) {
      json(ctx, req, HttpResponseStatus.OK, HarExport.har(List.of(e), baseUrl()), "grok-" + id + ".har");
    } else if ("/replay".equals(action) && post) {
      Replays.Result r = replays.replay(e, req.content());
      if (r.error() != null) {
        error(ctx, req, r.status(), r.error());
      } else {
        json(ctx, req, HttpResponseStatus.OK, ExchangeJson.JSON.createObjectNode().put("id", r.id()));
      }
    } else {
      error(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed: " + req.method() + " "
          + req.uri() + " (replay is POST, the rest GET)");
    }
  }

  private ObjectNode status() {
    ObjectNode n = ExchangeJson.JSON.createObjectNode();
    n.put("connected", inspector.connected());
    n.put("public_url", inspector.publicUrl());
    n.put("local_url", inspector.localUrl());
    n.put("tunnel", inspector.tunnelName());
    n.put("body_limit_bytes", inspector.bodyLimitBytes());
    n.put("capacity", inspector.capacity());
    n.put("dropped", inspector.dropped());
    return n;
  }

  private String baseUrl() {
    String url = inspector.publicUrl();
    return url != null ? url : inspector.localUrl();
  }

  void error(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message) {
    json(ctx, req, status, ExchangeJson.JSON.createObjectNode().put("error", message));
  }

  private void json(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, JsonNode body) {
    json(ctx, req, status, body, null);
  }

  private void json(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, JsonNode body,
      String attachment) {
    byte[] bytes;
    try {
      bytes = ExchangeJson.JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    send(ctx, req, status, "application/json; charset=utf-8", Unpooled.wrappedBuffer(bytes), attachment);
  }

  private void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type,
      ByteBuf body, String attachment) {
    boolean head = req.method().equals(HttpMethod.HEAD);
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        head ? Unpooled.EMPTY_BUFFER : body);
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (head) {
      body.release();
    }
    if (attachment != null) {
      res.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + attachment + "\"");
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(res, keepAlive);
    ChannelFuture f = ctx.writeAndFlush(res);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }
}

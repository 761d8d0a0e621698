package dev.grok.common.compress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpMessage;
import dev.grok.protocol.v1.Header;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which bodies are worth compressing: not yet encoded (no {@code Content-Encoding} other than identity), of a type
 * that compresses (text, JSON, XML, JavaScript, CSS, SVG, wasm, fonts ... or no type at all) and, when the length
 * is known, at least {@link #MIN_BYTES}. Images, video, archives and anything already gzip/br/zstd-encoded are
 * sent as they are: compressing them again costs CPU and saves nothing.
 */
public final class CompressibleBody {
  /**
   * Smaller bodies are not compressed: below ~1 KiB the saving is a few hundred bytes, less than the cost of a
   * compressor call, and the body fits one TCP segment either way. A body of unknown length (chunked) qualifies.
   */
  public static final long MIN_BYTES = 1024;

  /** Media types outside {@code text/*} and the {@code +json}/{@code +xml} suffixes that compress well. */
  private static final Set<String> COMPRESSIBLE_TYPES = Set.of(
      "application/json", "application/x-ndjson", "application/javascript", "application/x-javascript",
      "application/ecmascript", "application/xml", "application/xhtml+xml", "application/rss+xml",
      "application/atom+xml", "application/wasm", "application/graphql", "application/x-www-form-urlencoded",
      "application/x-sh", "application/sql", "application/csv", "application/yaml", "application/x-yaml",
      "application/toml", "application/manifest+json", "application/vnd.ms-fontobject", "application/x-font-ttf",
      "font/ttf", "font/otf", "font/eot", "image/svg+xml", "image/bmp", "image/x-icon",
      "image/vnd.microsoft.icon");

  private CompressibleBody() {}

  /**
   * The rule on a message's headers: {@code contentType} and {@code contentEncoding} null when absent,
   * {@code contentLength} -1 when unknown (chunked, close-delimited).
   */
  public static boolean worthCompressing(String contentType, String contentEncoding, long contentLength) {
    if (contentEncoding != null && !contentEncoding.isBlank()
        && !HttpHeaderValues.IDENTITY.contentEqualsIgnoreCase(contentEncoding.strip())) {
      return false;
    }
    if (contentLength >= 0 && contentLength < MIN_BYTES) {
      return false;
    }
    return contentType == null || compressibleType(contentType);
  }

  /** The rule on a Netty message (a request the edge forwards, a response the client forwards). */
  public static boolean worthCompressing(HttpMessage message) {
    HttpHeaders h = message.headers();
    long length = HttpUtil.isTransferEncodingChunked(message) ? -1 : HttpUtil.getContentLength(message, -1L);
    return worthCompressing(h.get(HttpHeaderNames.CONTENT_TYPE), h.get(HttpHeaderNames.CONTENT_ENCODING), length);
  }

  /** The rule on the headers of a protocol head (no framing headers there: no Content-Length means unknown). */
  public static boolean worthCompressing(List<Header> headers) {
    String type = null;
    String encoding = null;
    long length = -1;
    for (Header h : headers) {
      String n = h.getName();
      if (n.equalsIgnoreCase("content-type")) {
        type = h.getValue();
      } else if (n.equalsIgnoreCase("content-encoding")) {
        encoding = h.getValue();
      } else if (n.equalsIgnoreCase("content-length")) {
        try {
          length = Long.parseLong(h.getValue().strip());
        } catch (NumberFormatException e) {
          length = -1;
        }
      }
    }
    return worthCompressing(type, encoding, length);
  }

  /** True for {@code text/*}, {@code *+json}, {@code *+xml} and the types listed above; parameters ignored. */
  static boolean compressibleType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
        .toLowerCase(Locale.ROOT);
    return type.isEmpty() || type.startsWith("text/") || type.endsWith("+json") || type.endsWith("+xml")
        || COMPRESSIBLE_TYPES.contains(type);
  }
}

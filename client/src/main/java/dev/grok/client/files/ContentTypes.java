package dev.grok.client.files;

import java.util.Locale;
import java.util.Map;

/** Content-Type by file extension (a built-in map of common ones), and which types are worth compressing. */
final class ContentTypes {
  private ContentTypes() {}

  /** For unknown extensions: the visitor's browser downloads rather than guesses. */
  static final String DEFAULT = "application/octet-stream";
  static final String HTML = "text/html; charset=utf-8";

  private static final String UTF8 = "; charset=utf-8";

  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("html", HTML), Map.entry("htm", HTML),
      Map.entry("css", "text/css" + UTF8),
      Map.entry("js", "text/javascript" + UTF8), Map.entry("mjs", "text/javascript" + UTF8),
      Map.entry("json", "application/json" + UTF8), Map.entry("map", "application/json" + UTF8),
      Map.entry("webmanifest", "application/manifest+json" + UTF8),
      Map.entry("txt", "text/plain" + UTF8), Map.entry("md", "text/markdown" + UTF8),
      Map.entry("csv", "text/csv" + UTF8), Map.entry("xml", "application/xml" + UTF8),
      Map.entry("svg", "image/svg+xml" + UTF8), Map.entry("wasm", "application/wasm"),
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"),
      Map.entry("ico", "image/x-icon"), Map.entry("bmp", "image/bmp"),
      Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
      Map.entry("otf", "font/otf"),
      Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"),
      Map.entry("ogg", "audio/ogg"), Map.entry("wav", "audio/wav"),
      Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
      Map.entry("gz", "application/gzip"), Map.entry("tar", "application/x-tar"));

  /** The Content-Type of a file named {@code fileName}; text types carry {@code charset=utf-8}. */
  static String of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0 || dot == fileName.length() - 1) {
      return DEFAULT;
    }
    return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
  }

  /** Text types, which gzip shrinks several times; images, fonts, media and archives are compressed already. */
  static boolean compressible(String contentType) {
    return contentType.startsWith("text/") || contentType.startsWith("application/json")
        || contentType.startsWith("application/manifest+json") || contentType.startsWith("application/xml")
        || contentType.startsWith("image/svg+xml") || contentType.startsWith("application/wasm");
  }
}

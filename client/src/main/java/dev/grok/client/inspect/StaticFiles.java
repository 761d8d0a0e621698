package dev.grok.client.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The page's files, served from the jar ({@code dev/grok/client/inspect/web}), read once and kept. */
final class StaticFiles {
  private static final String ROOT = "/dev/grok/client/inspect/web";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");
  private static final byte[] MISSING = new byte[0];

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  boolean exists(String path) {
    return load(path) != MISSING;
  }

  byte[] read(String path) {
    return load(path);
  }

  String contentType(String path) {
    String name = name(path);
    String ext = name.substring(name.lastIndexOf('.') + 1);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  private byte[] load(String path) {
    String name = name(path);
    if (!name.matches("[a-z0-9-]+\\.[a-z]+")) {
      return MISSING; // only plain names of this directory: no "..", no sub-directories
    }
    return cache.computeIfAbsent(name, n -> {
      try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + "/" + n)) {
        return in == null ? MISSING : in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static String name(String path) {
    return path.equals("/") ? "index.html" : path.substring(1);
  }
}

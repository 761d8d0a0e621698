package dev.grok.server.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's files, served from the jar: our own under {@code dev/grok/server/admin/ui/}, third-party browser
 * libraries from their WebJars ({@code /webjars/NAME/...} maps to {@code META-INF/resources/webjars/NAME/VERSION/}).
 * Read once and kept: a handful of small files.
 */
final class StaticFiles {
  private static final String UI = "dev/grok/server/admin/ui/";
  /** WebJars served, with the version the build pins (see the root pom). */
  private static final Map<String, String> WEBJARS = Map.of("uplot", "1.6.30");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "json", "application/json", "svg", "image/svg+xml", "png", "image/png");

  /** Resource -> bytes of the files found (misses are not kept: any path may be asked for). */
  private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();

  /** The file at URL {@code path}, or null when there is none. */
  AdminResponse get(String path) {
    String resource = resourceOf(path);
    if (resource == null) {
      return null;
    }
    byte[] body = cache.get(resource);
    if (body == null) {
      body = read(resource);
      if (body == null) {
        return null;
      }
      cache.put(resource, body);
    }
    String ext = resource.substring(resource.lastIndexOf('.') + 1);
    // Security headers (CSP, X-Frame-Options, ...) are added to every answer by AdminResponse.
    return new AdminResponse(HttpResponseStatus.OK, TYPES.getOrDefault(ext, "application/octet-stream"),
        body, new LinkedHashMap<>());
  }

  private static String resourceOf(String path) {
    if (path.contains("..") || path.contains("//") || path.contains("\\")) {
      return null;
    }
    if (path.equals("/")) {
      return UI + "index.html";
    }
    if (path.startsWith("/ui/")) {
      return UI + path.substring(4);
    }
    if (path.equals("/api/openapi.json")) {
      return "dev/grok/server/admin/openapi.json";
    }
    if (path.startsWith("/webjars/")) {
      String rest = path.substring(9);
      int slash = rest.indexOf('/');
      String version = slash < 0 ? null : WEBJARS.get(rest.substring(0, slash));
      return version == null ? null
          : "META-INF/resources/webjars/" + rest.substring(0, slash) + "/" + version + rest.substring(slash);
    }
    return null;
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
    }
  }
}

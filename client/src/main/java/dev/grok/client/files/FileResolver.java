package dev.grok.client.files;

import dev.grok.client.ClientConfig.ServeOptions;
import dev.grok.common.Limits;
import dev.grok.protocol.v1.Header;
import dev.grok.protocol.v1.RequestHead;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DateFormatter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * Decides the answer to one request for {@code grok serve}: which file (index.html for a directory, a listing when
 * there is none, the SPA fallback, the 404 page), its headers (type, validators, range, encoding) and its body.
 * Paths are checked twice: {@link RequestPath} refuses every traversal form, then the real path (symlinks resolved)
 * must lie inside the real root. File-system calls happen on the caller's thread (an event loop); they are the
 * metadata reads of one request.
 */
final class FileResolver {
  /** Bodies smaller than this are sent as they are: gzip's 18 bytes of framing would eat the gain. */
  static final int MIN_GZIP_BYTES = 256;
  static final String INDEX = "index.html";

  private final ServeOptions options;
  /** The served directory with every symlink resolved: the prefix every served real path must have. */
  private final Path realRoot;
  private final ByteBufAllocator alloc;

  FileResolver(ServeOptions options, ByteBufAllocator alloc) throws IOException {
    this.options = options;
    this.alloc = alloc;
    this.realRoot = options.root().toRealPath();
    if (!Files.isDirectory(realRoot)) {
      throw new NotDirectoryException(options.root().toString());
    }
  }

  FileAnswer answer(RequestHead head) throws IOException {
    String method = head.getMethod();
    boolean isHead = method.equals("HEAD");
    if (!isHead && !method.equals("GET")) {
      return page(405, "Method Not Allowed", "grok serve answers GET and HEAD only, not " + method + ".", isHead)
          .header("Allow", "GET, HEAD");
    }
    RequestPath path;
    try {
      path = RequestPath.parse(head.getUri());
    } catch (RequestPath.RefusedException e) {
      return page(400, "Bad Request", "This path is refused: " + e.getMessage() + ".", isHead);
    }
    Path real;
    try {
      real = options.root().resolve(path.relative()).toRealPath();
    } catch (NoSuchFileException | NotDirectoryException e) {
      return notFound(head, path, isHead);
    }
    if (!real.startsWith(realRoot)) {
      return page(403, "Forbidden", "This path leads outside the served directory (through a symbolic link).",
          isHead);
    }
    BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
    if (attrs.isDirectory()) {
      if (!path.trailingSlash()) {
        String location = path.rawPath() + "/" + (path.query() == null ? "" : "?" + path.query());
        return page(301, "Moved Permanently", "This is a directory: " + location, isHead)
            .header("Location", location);
      }
      Path index = real.resolve(INDEX);
      if (Files.isRegularFile(index) && index.toRealPath().startsWith(realRoot)) {
        return file(head, index.toRealPath(), 200, "OK", true);
      }
      return listing(real, path, isHead);
    }
    if (!attrs.isRegularFile() || path.trailingSlash()) {
      return notFound(head, path, isHead);
    }
    return file(head, real, 200, "OK", true);
  }

  /** A 500 page for a failure of the server's own (the file system said no). */
  FileAnswer failure(RequestHead head, Exception e) {
    return page(500, "Internal Server Error", "grok serve could not read this file: " + e.getMessage(),
        head.getMethod().equals("HEAD"));
  }

  private FileAnswer notFound(RequestHead head, RequestPath path, boolean isHead) throws IOException {
    if (options.spa() && path.lastName().indexOf('.') < 0) {
      Path index = realRoot.resolve(INDEX);
      if (Files.isRegularFile(index) && index.toRealPath().startsWith(realRoot)) {
        return file(head, index.toRealPath(), 200, "OK", true);
      }
    }
    Path custom = options.notFoundPage();
    if (custom != null && Files.isRegularFile(custom)) {
      return file(head, custom.toRealPath(), 404, "Not Found", false);
    }
    return page(404, "Not Found", "There is no file at " + path.rawPath() + " in the served directory.", isHead);
  }

  /** A file: {@code conditional} applies validators (304) and ranges (206, 416). */
  private FileAnswer file(RequestHead head, Path file, int status, String reason, boolean conditional)
      throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    long length = attrs.size();
    long modifiedMillis = attrs.lastModifiedTime().toMillis();
    String type = ContentTypes.of(file.getFileName().toString());
    boolean varies = options.gzip() && ContentTypes.compressible(type);
    boolean gzip = varies && length >= MIN_GZIP_BYTES && acceptsGzip(value(head, "accept-encoding"));
    String tag = Long.toHexString(modifiedMillis) + "-" + Long.toHexString(length);
    // A compressed body is another representation: its validator is weak (RFC 9110 8.8.1), as nginx does it.
    String etag = gzip ? "W/\"" + tag + "\"" : "\"" + tag + "\"";
    String lastModified = DateFormatter.format(new Date(modifiedMillis));

    ByteRange range = ByteRange.WHOLE;
    if (conditional) {
      if (notModified(head, tag, modifiedMillis)) {
        FileAnswer answer = new FileAnswer(304, "Not Modified").header("ETag", etag)
            .header("Last-Modified", lastModified);
        return varies ? answer.header("Vary", "Accept-Encoding") : answer;
      }
      String ifRange = value(head, "if-range");
      if (ifRange == null || ifRange.strip().equals("\"" + tag + "\"") || ifRange.strip().equals(lastModified)) {
        range = ByteRange.parse(value(head, "range"), length);
      }
    }
    if (range == ByteRange.UNSATISFIABLE) {
      return new FileAnswer(416, "Range Not Satisfiable").header("Content-Range", "bytes */" + length)
          .header("Content-Length", 0);
    }
    boolean partial = range.isPartial();
    gzip &= !partial;
    FileAnswer answer = partial ? new FileAnswer(206, "Partial Content") : new FileAnswer(status, reason);
    answer.header("Content-Type", type).header("Last-Modified", lastModified).header("ETag", etag)
        .header("Accept-Ranges", "bytes");
    if (varies) {
      answer.header("Vary", "Accept-Encoding");
    }
    long first = partial ? range.first() : 0;
    long count = partial ? range.length() : length;
    if (partial) {
      answer.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + length);
    }
    if (gzip) {
      answer.header("Content-Encoding", "gzip"); // no Content-Length: the compressed size is known at the end only
    } else {
      answer.header("Content-Length", count);
    }
    if (head.getMethod().equals("HEAD") || count == 0) {
      return answer;
    }
    BodySource body = new FileBody(FileChannel.open(file, StandardOpenOption.READ), first, count, alloc,
        gzip ? Limits.MAX_CHUNK_BYTES / 2 : Limits.MAX_CHUNK_BYTES);
    answer.body = gzip ? new GzipBody(body, alloc, Limits.MAX_CHUNK_BYTES) : body;
    return answer;
  }

  private FileAnswer listing(Path dir, RequestPath path, boolean isHead) throws IOException {
    List<DirectoryListing.Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        Path real;
        try {
          real = child.toRealPath();
        } catch (IOException dangling) {
          continue;
        }
        if (!real.startsWith(realRoot)) {
          continue; // a symlink leading out: it would be refused anyway
        }
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        entries.add(new DirectoryListing.Entry(child.getFileName().toString(), a.isDirectory(), a.size()));
      }
    }
    String shown = "/" + path.relative() + (path.names().isEmpty() ? "" : "/");
    return html(200, "OK", DirectoryListing.render(shown, entries, path.names().isEmpty()), isHead);
  }

  private FileAnswer page(int status, String title, String detail, boolean isHead) {
    return html(status, title, FilePages.error(status, title, detail), isHead);
  }

  private FileAnswer html(int status, String reason, byte[] bytes, boolean isHead) {
    FileAnswer answer = new FileAnswer(status, reason).header("Content-Type", ContentTypes.HTML)
        .header("Content-Length", bytes.length);
    if (!isHead) {
      answer.body = new BytesBody(bytes, Limits.MAX_CHUNK_BYTES);
    }
    return answer;
  }

  /** If-None-Match (weak comparison, RFC 9110 13.1.2) wins over If-Modified-Since (second precision). */
  private static boolean notModified(RequestHead head, String tag, long modifiedMillis) {
    String noneMatch = value(head, "if-none-match");
    if (noneMatch != null) {
      for (String candidate : noneMatch.split(",")) {
        String c = candidate.strip();
        if (c.equals("*") || c.replaceFirst("^W/", "").equals("\"" + tag + "\"")) {
          return true;
        }
      }
      return false;
    }
    String since = value(head, "if-modified-since");
    Date date = since == null ? null : DateFormatter.parseHttpDate(since);
    return date != null && modifiedMillis / 1000 <= date.getTime() / 1000;
  }

  /** Whether {@code acceptEncoding} names gzip (or {@code *}) with a non-zero quality. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      String[] fields = part.split(";");
      String coding = fields[0].strip();
      if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
        continue;
      }
      boolean zero = false;
      for (int i = 1; i < fields.length; i++) {
        String p = fields[i].strip();
        if (p.startsWith("q=")) {
          try {
            zero = Double.parseDouble(p.substring(2)) == 0;
          } catch (NumberFormatException e) {
            zero = true;
          }
        }
      }
      if (!zero) {
        return true;
      }
    }
    return false;
  }

  /** The first value of header {@code lowerName} in the request, or null. */
  private static String value(RequestHead head, String lowerName) {
    for (Header h : head.getHeadersList()) {
      if (h.getName().equalsIgnoreCase(lowerName)) {
        return h.getValue();
      }
    }
    return null;
  }
}

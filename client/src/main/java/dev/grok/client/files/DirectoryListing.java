package dev.grok.client.files;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/** The HTML page listing a directory without an index.html: names escaped, links percent-encoded. */
final class DirectoryListing {
  private DirectoryListing() {}

  /** One entry: its name on disk, whether it is a directory, its size in bytes. */
  record Entry(String name, boolean directory, long size) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparing((Entry e) -> !e.directory()).thenComparing(Entry::name);

  /**
   * The page for the directory at {@code displayPath} (decoded, e.g. {@code /docs/}); {@code atRoot} leaves out the
   * link to the parent.
   */
  static byte[] render(String displayPath, List<Entry> entries, boolean atRoot) {
    StringBuilder rows = new StringBuilder(64 + entries.size() * 96);
    rows.append("<h1>Index of ").append(FilePages.escape(displayPath)).append("</h1>\n<ul>\n");
    if (!atRoot) {
      rows.append("<li><a href=\"../\">../</a></li>\n");
    }
    for (Entry e : entries.stream().sorted(ORDER).toList()) {
      String shown = e.name() + (e.directory() ? "/" : "");
      rows.append("<li><a href=\"").append(FilePages.escape(encode(e.name()))).append(e.directory() ? "/" : "")
          .append("\">").append(FilePages.escape(shown)).append("</a>");
      if (!e.directory()) {
        rows.append(" <small>").append(e.size()).append(" bytes</small>");
      }
      rows.append("</li>\n");
    }
    rows.append("</ul>");
    return FilePages.page("Index of " + displayPath, rows.toString());
  }

  /**
   * {@code name} as a relative URL path segment: everything but RFC 3986 unreserved characters percent-encoded (as
   * UTF-8), so a name like {@code a:b} or {@code ?x} is never read as a scheme or a query.
   */
  static String encode(String name) {
    StringBuilder b = new StringBuilder(name.length() + 8);
    for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }
}

package dev.grok.client.files;

import java.nio.charset.StandardCharsets;

/** The small HTML pages {@code grok serve} answers itself (errors, listings), in the edge's style. */
final class FilePages {
  private FilePages() {}

  /** A page saying what happened ({@code title}) and what to do ({@code detail}). */
  static byte[] error(int status, String title, String detail) {
    return page(status + " " + title, "<h1>" + status + " " + escape(title) + "</h1>\n<p>" + escape(detail) + "</p>");
  }

  /** A whole page around {@code bodyHtml} (already escaped). */
  static byte[] page(String title, String bodyHtml) {
    return ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title></head>\n<body style=\"font-family:sans-serif;margin:3em\">" + bodyHtml
        + "\n<hr><p><small>grok serve</small></p></body></html>\n").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code s} safe as HTML text and as a double- or single-quoted attribute value. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}

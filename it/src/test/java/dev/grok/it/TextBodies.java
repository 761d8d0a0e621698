package dev.grok.it;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Generated text documents of a given size, as varied as real pages and API answers (words, numbers and markup
 * drawn from a seeded random source), so that compression ratios are realistic, not those of one repeated line.
 */
final class TextBodies {
  private static final String[] WORDS = ("tunnel stream exchange visitor origin request response header body chunk "
      + "frame window buffer socket event loop server client token session metric latency compress encode "
      + "decode table column row value index search filter order page item price total user name email city "
      + "street country status active pending closed error warning notice detail summary title section")
      .split(" ");

  private TextBodies() {}

  static String contentType(String file) {
    if (file.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (file.endsWith(".json")) {
      return "application/json";
    }
    return file.endsWith(".css") ? "text/css" : "application/octet-stream";
  }

  static byte[] html(int bytes) {
    Random r = new Random(1);
    StringBuilder s = new StringBuilder("<!doctype html>\n<html><head><title>grok</title></head><body>\n");
    for (int i = 0; s.length() < bytes; i++) {
      s.append("<div class=\"row ").append(word(r)).append("\" id=\"r").append(i).append("\"><a href=\"/")
          .append(word(r)).append('/').append(r.nextInt(100_000)).append("\">").append(sentence(r, 6))
          .append("</a><p>").append(sentence(r, 14)).append("</p></div>\n");
    }
    return exactly(s, bytes);
  }

  static byte[] json(int bytes) {
    Random r = new Random(2);
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; s.length() < bytes; i++) {
      s.append("{\"id\":").append(i).append(",\"").append(word(r)).append("\":\"").append(sentence(r, 3))
          .append("\",\"price\":").append(r.nextInt(1_000_000) / 100.0).append(",\"active\":")
          .append(r.nextBoolean()).append(",\"tags\":[\"").append(word(r)).append("\",\"").append(word(r))
          .append("\"]},\n");
    }
    return exactly(s, bytes);
  }

  static byte[] css(int bytes) {
    Random r = new Random(3);
    StringBuilder s = new StringBuilder();
    for (int i = 0; s.length() < bytes; i++) {
      s.append('.').append(word(r)).append('-').append(i).append(" { margin: ").append(r.nextInt(40))
          .append("px ").append(r.nextInt(40)).append("px; color: #").append(Integer.toHexString(r.nextInt(0xffffff)))
          .append("; font-size: ").append(10 + r.nextInt(20)).append("px; }\n");
    }
    return exactly(s, bytes);
  }

  private static String word(Random r) {
    return WORDS[r.nextInt(WORDS.length)];
  }

  private static String sentence(Random r, int words) {
    StringBuilder s = new StringBuilder(word(r));
    for (int i = 1; i < words; i++) {
      s.append(' ').append(word(r));
    }
    return s.toString();
  }

  private static byte[] exactly(StringBuilder s, int bytes) {
    s.setLength(bytes);
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }
}

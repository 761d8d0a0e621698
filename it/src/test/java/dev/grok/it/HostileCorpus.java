package dev.grok.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hostile requests under {@code it/src/test/resources/hostile}, one {@code NAME.http} file each:
 *
 * <pre>
 * # category: what the case is about (comment lines start with #)
 * expect: 400            statuses answered in order, then the connection must close (e.g. 200,400)
 * origin: 0              requests the tunnel's local service receives whole
 * other: 1               (optional) requests the second tunnel's local service receives whole
 * ---
 * the bytes to send; line breaks in the file are ignored, escapes \r \n \t \\ \xNN give exact bytes;
 * {HOST} is the Host of the tunnel under attack, {OTHER} of a second tunnel
 * </pre>
 *
 * A request to {@code /smuggled} must never reach any local service.
 */
record HostileCorpus(String name, List<Integer> expect, int origin, int other, String template) {

  static Stream<HostileCorpus> all() {
    try {
      Path dir = Path.of(HostileCorpus.class.getResource("/hostile").toURI());
      try (Stream<Path> files = Files.list(dir)) {
        return files.filter(p -> p.toString().endsWith(".http")).sorted().map(HostileCorpus::read).toList().stream();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static HostileCorpus read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      int sep = text.indexOf("\n---\n");
      if (sep < 0) {
        throw new IllegalArgumentException(file + ": no '---' line between the header and the request");
      }
      List<Integer> expect = new ArrayList<>();
      int origin = -1;
      int other = 0;
      for (String line : text.substring(0, sep).split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] kv = line.split(":", 2);
        String value = kv[1].strip();
        switch (kv[0].strip()) {
          case "expect" -> {
            for (String s : value.split(",")) {
              expect.add(Integer.parseInt(s.strip()));
            }
          }
          case "origin" -> origin = Integer.parseInt(value);
          case "other" -> other = Integer.parseInt(value);
          default -> throw new IllegalArgumentException(file + ": unknown key " + kv[0]);
        }
      }
      if (expect.isEmpty() || origin < 0) {
        throw new IllegalArgumentException(file + ": 'expect' and 'origin' are required");
      }
      String name = file.getFileName().toString().replaceFirst("\\.http$", "");
      return new HostileCorpus(name, List.copyOf(expect), origin, other, text.substring(sep + 5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The exact bytes to send. */
  byte[] bytes(String host, String otherHost) {
    return decode(template.replace("{HOST}", host).replace("{OTHER}", otherHost));
  }

  /** File text to bytes: line breaks dropped, escapes decoded. */
  static byte[] decode(String template) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\n') {
        continue;
      }
      if (c != '\\') {
        out.write(c);
        continue;
      }
      char e = template.charAt(++i);
      switch (e) {
        case 'r' -> out.write('\r');
        case 'n' -> out.write('\n');
        case 't' -> out.write('\t');
        case '\\' -> out.write('\\');
        case 'x' -> {
          out.write(Integer.parseInt(template.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> throw new IllegalArgumentException("unknown escape \\" + e);
      }
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return name;
  }
}

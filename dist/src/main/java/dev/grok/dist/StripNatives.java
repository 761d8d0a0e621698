package dev.grok.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Copies a shaded jar without the native libraries of other platforms than Linux x86_64 (SQLite's, zstd-jni's and
 * netty-tcnative's for Windows, macOS, FreeBSD, AIX and other CPUs): {@code StripNatives IN_JAR OUT_JAR}. A release
 * for one platform needs one copy of each; the others are about half of the jars' size. Everything else, the
 * manifest included, is copied unchanged and in order.
 */
public final class StripNatives {
  /**
   * Entries that are another platform's native library: zstd-jni keeps them under {@code OS/ARCH/}, SQLite under
   * {@code org/sqlite/native/OS/ARCH/}, Netty's names carry the OS and CPU under {@code META-INF/native/}.
   */
  static final Pattern OTHER_PLATFORM = Pattern.compile(
      "(?:aix|darwin|freebsd|win)/[^/]+/[^/]+"
          + "|linux/(?!amd64/)[^/]+/[^/]+"
          + "|org/sqlite/native/(?!Linux/x86_64/|Linux-Musl/x86_64/)[^/]+/[^/]+/[^/]+"
          + "|META-INF/native/[^/]*(?:osx|windows|aarch_64|riscv64|ppcle_64|s390_64|loongarch_64)[^/]*");

  private StripNatives() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: StripNatives IN_JAR OUT_JAR");
      System.exit(2);
    }
    int dropped = 0;
    try (ZipFile in = new ZipFile(args[0]);
        OutputStream file = Files.newOutputStream(Path.of(args[1]));
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        if (OTHER_PLATFORM.matcher(entry.getName()).matches()) {
          dropped++;
          continue;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        try (InputStream body = in.getInputStream(entry)) {
          body.transferTo(out);
        }
        out.closeEntry();
      }
    }
    System.err.println("release: " + args[1] + ": " + dropped + " native libraries of other platforms left out");
  }
}

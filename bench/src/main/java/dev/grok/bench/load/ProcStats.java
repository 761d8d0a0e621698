package dev.grok.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory and CPU time of one process, read from {@code /proc/PID/status} and {@code /proc/PID/stat}
 * (Linux). A process that is gone reads as -1, so that a measurement notices it instead of recording zeros.
 */
public final class ProcStats {
  /** Clock ticks per second of {@code /proc/PID/stat}'s times: 100 on every Linux this runs on (CONFIG_HZ aside). */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  /** VmRSS of {@code pid} in KiB, or -1 when the process is gone or {@code pid} is 0. */
  public static long rssKib(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** User plus system CPU seconds of {@code pid} (its own threads), or -1 when the process is gone. */
  public static double cpuSeconds(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: the fields after it start behind the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** KiB as MiB with one decimal, or "gone". */
  public static String mib(long kib) {
    return kib < 0 ? "gone" : String.format(java.util.Locale.ROOT, "%.1f", kib / 1024.0);
  }
}

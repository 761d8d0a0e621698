package dev.grok.cli.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a server host is this machine: {@code localhost}, an address in 127.0.0.0/8, {@code ::1}, or this
 * machine's host name. Decides whether the zero-configuration token file may be read. No DNS lookup of the given
 * name is made: a remote name that happens to resolve to a local address is not trusted with the admin token.
 */
final class LocalHosts {
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

  private LocalHosts() {}

  static boolean isLocal(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost") || LOOPBACK_V4.matcher(h).matches()) {
      return true;
    }
    if (h.contains(":")) {
      try {
        // An IPv6 literal: parsed, never looked up.
        return InetAddress.getByName(h).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return h.equals(machineName());
  }

  private static String machineName() {
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      return "";
    }
  }
}

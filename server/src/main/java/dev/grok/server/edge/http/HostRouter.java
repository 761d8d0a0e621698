package dev.grok.server.edge.http;

import java.util.Locale;

/** Maps a Host header to a tunnel name: {@code NAME.DOMAIN[:port]}, case-insensitive, one label only. */
final class HostRouter {
  private final String dotDomain;

  HostRouter(String domain) {
    this.dotDomain = "." + domain.toLowerCase(Locale.ROOT);
  }

  /** The tunnel name for {@code host}, or null when the host is not a subdomain of ours. */
  String nameOf(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon >= 0 && h.indexOf(']') < colon) {
      h = h.substring(0, colon);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (!h.endsWith(dotDomain)) {
      return null;
    }
    String name = h.substring(0, h.length() - dotDomain.length());
    return name.isEmpty() || name.indexOf('.') >= 0 ? null : name;
  }
}

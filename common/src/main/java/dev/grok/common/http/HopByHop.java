package dev.grok.common.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1) belong to one connection and are never forwarded: the fixed list
 * plus every name listed in {@code Connection}. Each hop re-frames the body itself (Content-Length kept,
 * chunked re-applied when the length is unknown).
 *
 * <p>One exception: an upgrade (a request asking to switch protocols, and the 101 answering it) keeps
 * {@code Upgrade} and a {@code Connection: Upgrade}, because the next hop must see the same request to switch too.
 */
public final class HopByHop {
  private HopByHop() {}

  private static final AsciiString CONNECTION = AsciiString.cached("connection");
  private static final AsciiString UPGRADE = AsciiString.cached("upgrade");

  private static final AsciiString[] FIXED = {
      AsciiString.cached("connection"), AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
      AsciiString.cached("proxy-authenticate"), AsciiString.cached("proxy-authorization"), AsciiString.cached("te"),
      AsciiString.cached("trailer"), AsciiString.cached("transfer-encoding"), AsciiString.cached("upgrade")};

  /**
   * The end-to-end headers of {@code headers} in arrival order, repeated names kept, as name/value pairs.
   */
  public static List<Map.Entry<String, String>> endToEnd(HttpHeaders headers) {
    return endToEnd(headers, false);
  }

  /**
   * Like {@link #endToEnd(HttpHeaders)}; with {@code keepUpgrade} (an upgrade request or its 101) the
   * {@code Upgrade} headers stay and the first {@code Connection} header stays as {@code Connection: Upgrade} (the
   * other tokens it listed belong to this hop only).
   */
  public static List<Map.Entry<String, String>> endToEnd(HttpHeaders headers, boolean keepUpgrade) {
    Set<String> listed = connectionListed(headers);
    List<Map.Entry<String, String>> out = new ArrayList<>(headers.size());
    boolean connectionKept = false;
    var it = headers.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      CharSequence name = e.getKey();
      if (keepUpgrade && UPGRADE.contentEqualsIgnoreCase(name)) {
        out.add(Map.entry(name.toString(), e.getValue().toString()));
      } else if (keepUpgrade && CONNECTION.contentEqualsIgnoreCase(name)) {
        if (!connectionKept) {
          connectionKept = true;
          out.add(Map.entry(name.toString(), "Upgrade"));
        }
      } else if (!isHopByHop(name, listed)) {
        out.add(Map.entry(name.toString(), e.getValue().toString()));
      }
    }
    return out;
  }

  /**
   * True when {@code headers} ask to switch protocols: an {@code Upgrade} header and {@code upgrade} among the
   * tokens of {@code Connection} (RFC 9110 section 7.8; without the token the Upgrade header must be ignored).
   */
  public static boolean isUpgrade(HttpHeaders headers) {
    return headers.contains(UPGRADE) && connectionListed(headers).contains("upgrade");
  }

  /** True when {@code name} must not be forwarded. {@code listed} comes from {@link #connectionListed}. */
  public static boolean isHopByHop(CharSequence name, Set<String> listed) {
    // Compared in place, case-insensitively: this runs for every header of every exchange, so no lower-cased copy.
    for (AsciiString fixed : FIXED) {
      if (fixed.contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return !listed.isEmpty() && listed.contains(name.toString().toLowerCase(Locale.ROOT));
  }

  /** Lower-cased names that the {@code Connection} header lists (empty when there is none). */
  public static Set<String> connectionListed(HttpHeaders headers) {
    List<String> values = headers.getAll("connection");
    if (values.isEmpty()) {
      return Set.of();
    }
    java.util.HashSet<String> names = new java.util.HashSet<>();
    for (String v : values) {
      for (String token : v.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          names.add(t);
        }
      }
    }
    return names;
  }
}

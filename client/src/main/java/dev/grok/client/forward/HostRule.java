package dev.grok.client.forward;

import java.util.Locale;
import java.util.Objects;

/**
 * What the local service sees as {@code Host}: {@code rewrite} gives the target's {@code HOST:PORT}, {@code preserve}
 * keeps the visitor's, any other value is sent literally.
 *
 * @param mode {@code rewrite}, {@code preserve} or a literal Host value
 * @param targetHost the target's {@code HOST:PORT}, used by {@code rewrite} and when the visitor sent no Host
 */
public record HostRule(String mode, String targetHost) {

  public HostRule {
    Objects.requireNonNull(targetHost, "targetHost");
    mode = mode == null || mode.isBlank() ? "rewrite" : mode.trim();
  }

  /** The Host value for a request whose visitor sent {@code visitorHost} (null when it sent none). */
  public String apply(String visitorHost) {
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "rewrite" -> targetHost;
      case "preserve" -> visitorHost != null ? visitorHost : targetHost;
      default -> mode;
    };
  }
}

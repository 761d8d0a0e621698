package dev.grok.server.edge.http;

import dev.grok.server.metrics.Rejections;
import dev.grok.server.ratelimit.TunnelRateLimiter;

/**
 * What an edge uses to refuse abuse: the rate limit per tunnel, and where refusals are counted
 * ({@code grok_edge_rejected_total{reason}}).
 *
 * @param rejections counts refusals by reason
 * @param rateLimiter requests per second per tunnel ({@link TunnelRateLimiter#OFF} for none)
 */
public record EdgeGuards(Rejections rejections, TunnelRateLimiter rateLimiter) {
  /** No rate limit; refusals counted where nobody reads them. */
  public static final EdgeGuards NONE = new EdgeGuards(Rejections.NONE, TunnelRateLimiter.OFF);
}

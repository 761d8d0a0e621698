/**
 * Requests per second per tunnel: a token bucket per live tunnel ({@link dev.grok.server.ratelimit.TokenBucket}),
 * sized by the server's default ({@code --rate-limit}, {@code --rate-limit-burst}) or by the override stored with
 * the tunnel's token ({@code grok-server token create NAME --rate-limit RPS}), checked by the edge when it has
 * resolved a request's tunnel ({@link dev.grok.server.ratelimit.TunnelRateLimiter}). Off unless configured.
 */
package dev.grok.server.ratelimit;

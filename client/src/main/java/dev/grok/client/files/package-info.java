/**
 * {@code grok serve DIR}: the {@link dev.grok.client.files.FileResponder} answers a tunnel's exchanges from a
 * directory (index.html, listings, types, validators and 304, ranges, gzip, a 404 page, the SPA fallback), streaming
 * files chunk by chunk with the same backpressure as a forwarded exchange. Every path-traversal form is refused.
 */
package dev.grok.client.files;

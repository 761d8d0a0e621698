/**
 * What the server measures: the Prometheus registry behind {@code /metrics} ({@link
 * dev.grok.server.metrics.ServerMetrics}), each live tunnel's pre-resolved meters ({@link
 * dev.grok.server.metrics.TunnelMeters}), the one observer the edge calls when an exchange ends (which hands each
 * exchange to the request log in the database, {@code server.requestlog}) and the per-second history the dashboard
 * charts.
 */
package dev.grok.server.metrics;

/**
 * The admin port: {@code GET /health}, {@code GET /metrics} (Prometheus), the dashboard at {@code /} (plain HTML,
 * CSS and JavaScript modules from the jar, uPlot from its WebJar) and the REST API under {@code /api} (admin
 * tokens as bearer tokens, or the dashboard's cookie session with a CSRF header), described by {@code
 * /api/openapi.json}.
 */
package dev.grok.server.admin;

/** The admin port: {@code GET /health} now; the dashboard, REST API and {@code /metrics} join it later. */
package dev.grok.server.admin;

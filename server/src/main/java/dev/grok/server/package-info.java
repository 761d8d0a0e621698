/**
 * The grok server: {@link dev.grok.server.GrokServer} wires the public edge ({@code edge.http}), the gRPC tunnel
 * service ({@code tunnel}), the registry of live tunnels ({@code registry}), tokens ({@code auth}) and the admin
 * port ({@code admin}, with {@code metrics}) onto one event-loop group.
 */
package dev.grok.server;

/**
 * Which public name or port belongs to which live tunnel: subdomain validation, random names, the per-user limit
 * and the takeover of a name by a newer session of the same user, and the basic-auth credential a tunnel's
 * visitors need (kept as a salted hash). A {@link dev.grok.server.registry.Tunnel} carries what the edge needs of
 * it through its {@link dev.grok.server.registry.TunnelOwner} (streams, stop); {@link
 * dev.grok.server.registry.TcpListeners} lets an owner bind a TCP tunnel's port without knowing the edge. Read on
 * every edge request, written on registration.
 */
package dev.grok.server.registry;

/**
 * Which public name belongs to which live tunnel: subdomain validation, random names, the per-user limit and the
 * takeover of a name by a newer session of the same user, and the basic-auth credential a tunnel's visitors need
 * (kept as a salted hash). Read on every edge request, written on registration.
 */
package dev.grok.server.registry;

/**
 * Which public name belongs to which live tunnel: subdomain validation, random names, the per-user limit and the
 * takeover of a name by a newer session of the same user. Read on every edge request, written on registration.
 */
package dev.grok.server.registry;

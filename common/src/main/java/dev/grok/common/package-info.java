/**
 * What the server and the client share: the event-loop group both sides run on, the protocol's limits as named
 * constants, the version string. HTTP header rules live in {@code http}, logging setup in {@code logging}.
 */
package dev.grok.common;

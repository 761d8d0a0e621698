/**
 * The client core behind {@code grok http}: {@link dev.grok.client.GrokClient} starts a control session with the
 * tunnel server ({@code session}) and forwards every exchange the server sends to the local service
 * ({@code forward}). {@link dev.grok.client.ClientConfig} and {@link dev.grok.client.ClientListener} are the API the
 * CLI builds against.
 */
package dev.grok.client;

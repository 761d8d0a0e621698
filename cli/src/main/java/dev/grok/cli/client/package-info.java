/**
 * The subcommands of {@code grok}: {@code http} resolves the server and token (flag, environment, config file,
 * then the zero-configuration {@code ./grok-data/admin.token} for a server on this machine), starts a GrokClient
 * and prints its events as text or JSON lines; {@code config} edits {@code ~/.grok/config.yml}; {@code version}.
 */
package dev.grok.cli.client;

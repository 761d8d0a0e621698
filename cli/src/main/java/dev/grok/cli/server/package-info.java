/**
 * The subcommands of {@code grok-server}: {@code serve} (the default) turns flags, environment and YAML into a
 * ServerConfig and runs the server until a signal; {@code gencert} writes a self-signed certificate;
 * {@code token} manages tokens in the server's database; {@code version}. Options that locate the database are
 * shared through {@link dev.grok.cli.server.DatabaseOptions}.
 */
package dev.grok.cli.server;

/**
 * The server's token store: users and the API tokens that authenticate tunnel clients, kept in an embedded SQLite
 * file under the data directory (or an external JDBC database such as PostgreSQL) with Flyway migrations. Only the
 * SHA-256 of a token is stored; positive lookups are cached in memory and invalidated on revocation, including
 * revocations made by another process (the {@code token revoke} CLI) that the server notices by polling
 * {@link dev.grok.server.auth.TokenStore#revokedAmong}. The zero-configuration bootstrap writes the first admin token
 * to {@code DATA_DIR/admin.token}, readable only by its owner.
 */
package dev.grok.server.auth;

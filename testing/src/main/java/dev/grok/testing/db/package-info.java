/**
 * Databases for tests: {@link dev.grok.testing.db.PostgresCluster} initialises and starts a throwaway PostgreSQL
 * cluster from Debian's binaries in a temporary directory (as the {@code postgres} user when the tests run as
 * root), {@link dev.grok.testing.db.SharedPostgres} keeps one per test JVM, and {@link
 * dev.grok.testing.db.DatabaseBackend} hands each test a fresh SQLite or PostgreSQL database so that every repository
 * test runs on both.
 */
package dev.grok.testing.db;

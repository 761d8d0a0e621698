/**
 * Flyway migrations written in Java, for the few schema changes that differ between SQLite and PostgreSQL; the
 * rest are SQL files under {@code db/migration}. Versions interleave with the SQL ones ({@code V2_1} runs after
 * {@code V2__accounts_and_orgs.sql}).
 */
package dev.grok.server.auth.migration;

package dev.grok.server.auth;

import java.time.Instant;

/**
 * What the store knows about a token, without its secret.
 *
 * @param id short printable id such as {@code tok_3k9x0qa1bz}
 * @param name unique name given at creation
 * @param user name of the owning user
 * @param revoked whether {@code token revoke} was run on it
 * @param createdAt when it was created (millisecond precision)
 * @param org slug of the user's organization, null for none: the user's tunnels are published as NAME-ORG
 */
public record TokenInfo(String id, String name, String user, boolean revoked, Instant createdAt, String org) {
  /** A token of a user in no organization. */
  public TokenInfo(String id, String name, String user, boolean revoked, Instant createdAt) {
    this(id, name, user, revoked, createdAt, null);
  }
}

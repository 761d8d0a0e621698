package dev.grok.server.auth;

/**
 * A token just created: the only moment its raw value exists outside the client, since the store keeps a hash.
 *
 * @param id short printable id such as {@code tok_3k9x0qa1bz}
 * @param name unique name given at creation
 * @param user name of the owning user
 * @param token the raw token ({@code grok_} + 32 base64url characters) to hand to the client once
 */
public record CreatedToken(String id, String name, String user, String token) {
  /** Never prints the raw token, so that a logged record does not leak it. */
  @Override
  public String toString() {
    return "CreatedToken[id=" + id + ", name=" + name + ", user=" + user + "]";
  }
}

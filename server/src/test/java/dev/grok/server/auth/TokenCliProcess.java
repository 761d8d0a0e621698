package dev.grok.server.auth;

import java.nio.file.Path;

/**
 * A second process on the same data directory, as the {@code token} CLI would be: {@code DATA_DIR create NAME USER}
 * prints the token id and the raw token on one line; {@code DATA_DIR revoke ID_OR_NAME} prints true or false.
 */
final class TokenCliProcess {
  private TokenCliProcess() {}

  public static void main(String[] args) {
    try (TokenStore store = TokenStore.open(Path.of(args[0]), null, null, null)) {
      switch (args[1]) {
        case "create" -> {
          CreatedToken created = store.create(args[2], args[3]);
          System.out.println(created.id() + " " + created.token());
        }
        case "revoke" -> System.out.println(store.revoke(args[2]));
        default -> throw new IllegalArgumentException("command: '" + args[1] + "' (expected: create or revoke)");
      }
    }
  }
}

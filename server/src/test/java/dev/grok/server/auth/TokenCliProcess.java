package dev.grok.server.auth;

import java.nio.file.Path;

/**
 * A second process on the same database, as the {@code token} CLI would be. Arguments: {@code DATA_DIR DB_URL
 * DB_USER COMMAND...}, where {@code DB_URL} and {@code DB_USER} are {@code -} for the embedded SQLite database;
 * {@code create NAME USER} prints the token id and the raw token on one line; {@code revoke ID_OR_NAME} prints true
 * or false; {@code disable-user NAME} disables a user and prints true.
 */
final class TokenCliProcess {
  private TokenCliProcess() {}

  public static void main(String[] args) {
    String url = args[1].equals("-") ? null : args[1];
    String user = args[2].equals("-") ? null : args[2];
    try (TokenStore store = TokenStore.open(Path.of(args[0]), url, user, null)) {
      switch (args[3]) {
        case "create" -> {
          CreatedToken created = store.create(args[4], args[5]);
          System.out.println(created.id() + " " + created.token());
        }
        case "revoke" -> System.out.println(store.revoke(args[4]));
        case "disable-user" -> {
          Accounts.of(store).users().disableUser(args[4]);
          System.out.println(true);
        }
        default -> throw new IllegalArgumentException("command: '" + args[3]
            + "' (expected: create, revoke or disable-user)");
      }
    }
  }
}

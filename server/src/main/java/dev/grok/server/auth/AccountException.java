package dev.grok.server.auth;

/** An account operation that cannot be done as asked: the message says what was wrong and what to do instead. */
public final class AccountException extends RuntimeException {
  /** Why, so that the CLI and the API can choose an exit code or a status. */
  public enum Kind { INVALID, NOT_FOUND, CONFLICT }

  private final Kind kind;

  AccountException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

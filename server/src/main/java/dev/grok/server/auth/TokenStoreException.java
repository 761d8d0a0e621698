package dev.grok.server.auth;

/** The database behind the token store failed (unreachable, locked past its busy timeout, corrupt). */
public final class TokenStoreException extends RuntimeException {
  TokenStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

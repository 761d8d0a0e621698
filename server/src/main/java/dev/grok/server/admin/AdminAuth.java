package dev.grok.server.admin;

import dev.grok.server.auth.Account;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.Role;
import dev.grok.server.auth.SessionStore;
import dev.grok.server.auth.TokenInfo;
import dev.grok.server.auth.TokenStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who is calling the admin API. Two ways in:
 *
 * <ul>
 *   <li>{@code Authorization: Bearer TOKEN} with a token of a super admin (such as the bootstrap {@code admin}
 *       token), for curl and scripts; no CSRF check (a browser never adds the header by itself). Tokens of other
 *       users run tunnels; they do not open the API (403).
 *   <li>the dashboard's cookie session ({@value #COOKIE}: HttpOnly, SameSite=Strict, Secure under TLS), opened by
 *       signing in with email and password ({@code POST /api/auth/login}) or with an admin token
 *       ({@code POST /api/session}), kept in the database ({@link SessionStore}). Every state-changing request of a
 *       cookie session must carry the session's CSRF token in {@value #CSRF_HEADER}: a page of another site can
 *       make the browser send the cookie, not the header.
 * </ul>
 */
final class AdminAuth {
  static final String COOKIE = "grok_session";
  static final String CSRF_HEADER = "X-CSRF-Token";

  /**
   * The caller.
   *
   * @param sessionId the cookie's value; null for a bearer token
   * @param csrf the session's CSRF token; null for a bearer token
   */
  record Principal(Account account, String sessionId, String csrf) {
    Role role() {
      return account.role();
    }
  }

  /** A denial, with the answer to send. */
  static final class Denied extends Exception {
    final transient AdminResponse response;

    Denied(HttpResponseStatus status, String message) {
      super(message, null, false, false);
      this.response = AdminResponse.error(status, message);
      if (status.equals(HttpResponseStatus.UNAUTHORIZED)) {
        response.withHeader("WWW-Authenticate", "Bearer realm=\"grok admin\"");
      }
    }
  }

  private final TokenStore tokens;
  private final Accounts accounts;

  AdminAuth(TokenStore tokens, Accounts accounts) {
    this.tokens = tokens;
    this.accounts = accounts;
  }

  /** The caller of {@code r}, or why not (401 no or bad credentials, 403 not an admin token or no CSRF). */
  Principal authenticate(AdminRequest r) throws Denied {
    String authorization = r.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new Denied(HttpResponseStatus.UNAUTHORIZED,
            "unsupported Authorization scheme (expected: Authorization: Bearer TOKEN)");
      }
      return new Principal(adminOf(authorization.substring(7).strip()), null, null);
    }
    String id = cookieValue(r);
    Optional<SessionStore.Session> s = id == null ? Optional.empty() : accounts.sessions().find(id);
    Optional<Account> account = s.flatMap(session -> accounts.users().userById(session.userId()))
        .filter(a -> !a.disabled());
    if (account.isEmpty()) {
      throw new Denied(HttpResponseStatus.UNAUTHORIZED,
          "sign in first, or send Authorization: Bearer TOKEN with an admin token");
    }
    if (!r.isSafe()) {
      String csrf = r.headers().get(CSRF_HEADER);
      if (csrf == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
          s.get().csrf().getBytes(StandardCharsets.UTF_8))) {
        throw new Denied(HttpResponseStatus.FORBIDDEN,
            "missing or wrong " + CSRF_HEADER + " header (expected: the csrf_token of GET /api/me)");
      }
    }
    return new Principal(account.get(), id, s.get().csrf());
  }

  /** The super admin owning {@code rawToken} when it is a live token of one. */
  Account adminOf(String rawToken) throws Denied {
    Optional<TokenInfo> info = rawToken.isEmpty() ? Optional.empty() : tokens.authenticate(rawToken);
    if (info.isEmpty()) {
      throw new Denied(HttpResponseStatus.UNAUTHORIZED, "invalid token: unknown or revoked");
    }
    Optional<Account> account = accounts.users().userByName(info.get().user());
    if (account.isEmpty() || account.get().role() != Role.SUPER_ADMIN || account.get().disabled()) {
      throw new Denied(HttpResponseStatus.FORBIDDEN, "user '" + info.get().user()
          + "' is not an administrator (expected: a token of a super admin such as '" + TokenStore.ADMIN_USER + "')");
    }
    return account.get();
  }

  /** Opens a database session for {@code account}. */
  Principal signIn(Account account) {
    SessionStore.Session s = accounts.sessions().open(account.id());
    return new Principal(account, s.id(), s.csrf());
  }

  void signOut(Principal who) {
    accounts.sessions().end(who.sessionId());
  }

  /** The Set-Cookie value that opens ({@code sessionId} non-null) or clears the session cookie. */
  static String cookie(String sessionId, boolean tls) {
    long maxAge = sessionId == null ? 0 : SessionStore.TTL.toSeconds();
    return COOKIE + "=" + (sessionId == null ? "" : sessionId) + "; Path=/; Max-Age=" + maxAge
        + "; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
  }

  private static String cookieValue(AdminRequest r) {
    String header = r.headers().get(HttpHeaderNames.COOKIE);
    if (header == null) {
      return null;
    }
    for (Cookie c : ServerCookieDecoder.STRICT.decodeAll(header)) {
      if (c.name().equals(COOKIE)) {
        return c.value();
      }
    }
    return null;
  }
}

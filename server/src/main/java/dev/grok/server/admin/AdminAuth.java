package dev.grok.server.admin;

import dev.grok.server.auth.TokenInfo;
import dev.grok.server.auth.TokenStore;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is calling the admin API. Two ways in, both for users of {@link TokenStore#ADMIN_USER} only (other users
 * run tunnels, they do not administer the server):
 *
 * <ul>
 *   <li>{@code Authorization: Bearer TOKEN}, for curl and scripts; no CSRF check (a browser never adds it by
 *       itself).
 *   <li>the dashboard's cookie session ({@value #COOKIE}: HttpOnly, SameSite=Strict), opened by signing in with a
 *       token. Every state-changing request of a cookie session must carry the session's CSRF token in
 *       {@value #CSRF_HEADER}: a page of another site can make the browser send the cookie, not the header.
 * </ul>
 */
final class AdminAuth {
  static final String COOKIE = "grok_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  /** A signed-in dashboard stays signed in this long. */
  static final Duration SESSION_TTL = Duration.ofHours(12);
  /** Sessions kept at most; signing in beyond it ends the oldest. */
  static final int MAX_SESSIONS = 1_000;

  /** A dashboard session: {@code id} is the cookie's value. */
  record Session(String id, String user, String csrf, long expiresAtMillis) {}

  /** The caller: {@code session} is null for a bearer token. */
  record Principal(String user, Session session) {}

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
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

  AdminAuth(TokenStore tokens) {
    this.tokens = tokens;
  }

  /** The admin behind {@code r}, or why not (401 no or bad credentials, 403 not an admin or CSRF). */
  Principal authenticate(AdminRequest r) throws Denied {
    String authorization = r.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new Denied(HttpResponseStatus.UNAUTHORIZED,
            "unsupported Authorization scheme (expected: Authorization: Bearer TOKEN)");
      }
      return new Principal(adminOf(authorization.substring(7).strip()), null);
    }
    Session s = sessionOf(r);
    if (s == null) {
      throw new Denied(HttpResponseStatus.UNAUTHORIZED,
          "sign in first, or send Authorization: Bearer TOKEN with an admin token");
    }
    if (!r.isSafe()) {
      String csrf = r.headers().get(CSRF_HEADER);
      if (csrf == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
          s.csrf().getBytes(StandardCharsets.UTF_8))) {
        throw new Denied(HttpResponseStatus.FORBIDDEN,
            "missing or wrong " + CSRF_HEADER + " header (expected: the csrf_token of GET /api/session)");
      }
    }
    return new Principal(s.user(), s);
  }

  /** The user of {@code rawToken} when it is a live admin token. */
  String adminOf(String rawToken) throws Denied {
    Optional<TokenInfo> info = rawToken.isEmpty() ? Optional.empty() : tokens.authenticate(rawToken);
    if (info.isEmpty()) {
      throw new Denied(HttpResponseStatus.UNAUTHORIZED, "invalid token: unknown or revoked");
    }
    if (!info.get().user().equals(TokenStore.ADMIN_USER)) {
      throw new Denied(HttpResponseStatus.FORBIDDEN, "user '" + info.get().user()
          + "' is not an administrator (expected: a token of user '" + TokenStore.ADMIN_USER + "')");
    }
    return info.get().user();
  }

  /** Opens a dashboard session for {@code user}. */
  Session signIn(String user) {
    long now = System.currentTimeMillis();
    sessions.values().removeIf(s -> s.expiresAtMillis() <= now); // the reaper: sign-ins are rare
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream().min(Comparator.comparingLong(Session::expiresAtMillis))
          .ifPresent(oldest -> sessions.remove(oldest.id()));
    }
    Session s = new Session(randomToken(), user, randomToken(), now + SESSION_TTL.toMillis());
    sessions.put(s.id(), s);
    return s;
  }

  void signOut(Session s) {
    sessions.remove(s.id());
  }

  /** The Set-Cookie value that opens ({@code s} non-null) or clears the session cookie. */
  static String cookie(Session s) {
    String value = s == null ? "" : s.id();
    long maxAge = s == null ? 0 : SESSION_TTL.toSeconds();
    return COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict";
  }

  private Session sessionOf(AdminRequest r) {
    String header = r.headers().get(HttpHeaderNames.COOKIE);
    if (header == null) {
      return null;
    }
    for (Cookie c : ServerCookieDecoder.STRICT.decodeAll(header)) {
      if (c.name().equals(COOKIE)) {
        Session s = sessions.get(c.value());
        if (s != null && s.expiresAtMillis() > System.currentTimeMillis()) {
          return s;
        }
      }
    }
    return null;
  }

  private String randomToken() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}

package dev.grok.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.Account;
import dev.grok.server.auth.AccountException;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.SignIn;
import dev.grok.server.auth.TwoFactor;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in, sign-out, the caller's account and their 2FA: {@code /api/auth/*}, {@code /api/me}, {@code /api/2fa/*},
 * and the admin-token sign-in of {@code /api/session}. Runs on the admin executor (Argon2id and the database).
 */
final class AccountApi {
  /** One answer for every failed sign-in: it tells nobody whether the email exists. */
  static final String SIGN_IN_FAILED = "wrong email, password or code";

  private static final Logger log = LoggerFactory.getLogger(AccountApi.class);

  private final AdminAuth auth;
  private final Accounts accounts;
  private final SignInThrottle throttle;

  AccountApi(AdminAuth auth, Accounts accounts, SignInThrottle throttle) {
    this.auth = auth;
    this.accounts = accounts;
    this.throttle = throttle;
  }

  /** The operations open without credentials: the answer, or null when {@code r} is none of them. */
  AdminResponse open(AdminRequest r) throws AdminAuth.Denied {
    if (!r.method().equals(HttpMethod.POST)) {
      return null;
    }
    return switch (r.path()) {
      case "/api/auth/login" -> login(r);
      case AdminApi.SESSION_PATH -> tokenSignIn(r);
      default -> null;
    };
  }

  /** The caller's own operations: the answer, or null when {@code p} is none of them. */
  AdminResponse route(AdminRequest r, AdminAuth.Principal who, String[] p) {
    boolean post = r.method().equals(HttpMethod.POST);
    String path = String.join("/", p);
    return switch (path) {
      case "me", "session" -> r.isSafe() ? me(who)
          : path.equals("session") && r.method().equals(HttpMethod.DELETE) ? logout(r, who) : null;
      case "auth/logout" -> post ? logout(r, who) : null;
      case "2fa/setup" -> post ? setup(who) : null;
      case "2fa/verify" -> post ? verify(r, who) : null;
      case "2fa/disable" -> post ? disable(r, who) : null;
      default -> null;
    };
  }

  private AdminResponse login(AdminRequest r) {
    JsonNode body = JsonBodies.object(r);
    String email = JsonBodies.text(body, "email").strip();
    String password = JsonBodies.text(body, "password");
    String code = JsonBodies.optionalText(body, "otp_code");
    String emailKey = "email:" + email.toLowerCase(Locale.ROOT);
    String addressKey = "address:" + r.address();
    long waitMillis = Math.max(throttle.retryAfterMillis(emailKey), throttle.retryAfterMillis(addressKey));
    if (waitMillis > 0) {
      accounts.audit().record(email, "sign_in.throttled", email, orgOfEmail(email), r.address(), null);
      return tooMany(waitMillis);
    }
    SignIn.Result result = accounts.signIn().attempt(email, password, code);
    return switch (result) {
      case SignIn.Success s -> {
        throttle.succeeded(emailKey);
        accounts.audit().record(s.account().email(), "sign_in", s.account().email(), s.account().orgId(),
            r.address(), null);
        yield opened(r, auth.signIn(s.account()));
      }
      case SignIn.CodeRequired c -> AdminResponse.json(HttpResponseStatus.OK, Map.of("requires_2fa", true));
      case SignIn.Failure f -> {
        throttle.failed(emailKey);
        throttle.failed(addressKey);
        log.info("sign-in failed for {} from {}: {}", email, r.address(), f.reason());
        // Under the user's org when the email is known, so that the org's admins see attempts on their members.
        String orgId = f.userId() == null ? null
            : accounts.users().userById(f.userId()).map(Account::orgId).orElse(null);
        accounts.audit().record(email, "sign_in.failed", email, orgId, r.address(), f.reason());
        yield AdminResponse.error(HttpResponseStatus.UNAUTHORIZED, SIGN_IN_FAILED);
      }
    };
  }

  private static AdminResponse tooMany(long waitMillis) {
    long seconds = (waitMillis + 999) / 1000;
    return AdminResponse.error(HttpResponseStatus.TOO_MANY_REQUESTS, "too many failed sign-ins; try again in "
        + seconds + " s").withHeader("Retry-After", String.valueOf(seconds));
  }

  /** The org of the account signing in with {@code email}, null when none or unknown (the audit log's org). */
  private String orgOfEmail(String email) {
    return accounts.users().user(email).map(Account::orgId).orElse(null);
  }

  /** The dashboard's sign-in with an admin token, as before accounts existed. */
  private AdminResponse tokenSignIn(AdminRequest r) throws AdminAuth.Denied {
    String token = JsonBodies.text(JsonBodies.object(r), "token");
    Account admin;
    try {
      admin = auth.adminOf(token);
    } catch (AdminAuth.Denied d) {
      // Never the token itself, not even part of it: the message says only why.
      accounts.audit().record(null, "sign_in.failed", null, null, r.address(), "admin token: " + d.getMessage());
      throw d;
    }
    accounts.audit().record(admin.name(), "sign_in.token", admin.name(), null, r.address(), null);
    return opened(r, auth.signIn(admin));
  }

  private static AdminResponse opened(AdminRequest r, AdminAuth.Principal who) {
    return AdminResponse.json(HttpResponseStatus.OK, meJson(who))
        .withHeader("Set-Cookie", AdminAuth.cookie(who.sessionId(), r.tls()));
  }

  private AdminResponse me(AdminAuth.Principal who) {
    // Read again: 2FA may have been turned on since the session opened.
    Account fresh = accounts.users().userById(who.account().id()).orElse(who.account());
    return AdminResponse.json(HttpResponseStatus.OK, meJson(new AdminAuth.Principal(fresh, who.sessionId(),
        who.csrf())));
  }

  private AdminResponse logout(AdminRequest r, AdminAuth.Principal who) {
    if (who.sessionId() != null) {
      auth.signOut(who);
      accounts.audit().record(who.account().name(), "sign_out", who.account().name(), who.account().orgId(),
          r.address(), null);
    }
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("signed_out", true))
        .withHeader("Set-Cookie", AdminAuth.cookie(null, r.tls()));
  }

  private AdminResponse setup(AdminAuth.Principal who) {
    TwoFactor.Setup s = accounts.twoFactor().setup(who.account().id());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("secret", s.secret());
    m.put("otpauth_url", s.otpauthUrl());
    m.put("qr_svg", QrSvg.of(s.otpauthUrl())); // the dashboard shows it; apps scan it
    return AdminResponse.json(HttpResponseStatus.OK, m);
  }

  private AdminResponse verify(AdminRequest r, AdminAuth.Principal who) {
    List<String> codes = accounts.twoFactor().enable(who.account().id(),
        JsonBodies.text(JsonBodies.object(r), "code"));
    accounts.audit().record(who.account().name(), "2fa.enable", who.account().name(), who.account().orgId(),
        r.address(), null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", true);
    m.put("recovery_codes", codes);
    return AdminResponse.json(HttpResponseStatus.OK, m);
  }

  private AdminResponse disable(AdminRequest r, AdminAuth.Principal who) {
    String password = JsonBodies.text(JsonBodies.object(r), "password");
    // A password check like sign-in's, so throttled and audited like it: a stolen session must not guess freely.
    String emailKey = "email:" + who.account().email().toLowerCase(Locale.ROOT);
    long waitMillis = throttle.retryAfterMillis(emailKey);
    if (waitMillis > 0) {
      return tooMany(waitMillis);
    }
    if (!accounts.signIn().checkPassword(who.account().id(), password)) {
      throttle.failed(emailKey);
      accounts.audit().record(who.account().name(), "2fa.disable.failed", who.account().name(),
          who.account().orgId(), r.address(), "wrong password");
      return AdminResponse.error(HttpResponseStatus.FORBIDDEN, "password: wrong (expected: your current password)");
    }
    accounts.twoFactor().disable(who.account().id());
    accounts.audit().record(who.account().name(), "2fa.disable", who.account().name(), who.account().orgId(),
        r.address(), null);
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("enabled", false));
  }

  /** {@code {"user": {...}, "csrf_token": ...}}: the contract's body of sign-in and {@code GET /api/me}. */
  static Map<String, Object> meJson(AdminAuth.Principal who) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", userJson(who.account()));
    m.put("csrf_token", who.csrf());
    return m;
  }

  static Map<String, Object> userJson(Account a) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("id", a.id());
    u.put("email", a.email());
    u.put("name", a.displayName() == null ? a.name() : a.displayName());
    u.put("role", a.role().wireName());
    u.put("org", a.orgSlug());
    u.put("totp_enabled", a.totpEnabled());
    u.put("has_password", a.hasPassword());
    u.put("disabled", a.disabled());
    return u;
  }

  /** AccountException to its status: 400 bad input, 404 unknown, 409 conflicting state. */
  static AdminResponse error(AccountException e) {
    HttpResponseStatus status = switch (e.kind()) {
      case INVALID -> HttpResponseStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
      case CONFLICT -> HttpResponseStatus.CONFLICT;
    };
    return AdminResponse.error(status, e.getMessage());
  }
}

package dev.grok.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.Account;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.AuditLog;
import dev.grok.server.auth.Org;
import dev.grok.server.auth.Role;
import dev.grok.server.auth.TokenInfo;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.tunnel.SessionManager;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Users, orgs and the audit log over REST: {@code POST /api/users}, {@code POST /api/users/{email}/disable|enable},
 * {@code GET|POST /api/orgs}, {@code POST /api/orgs/{slug}/disable}, {@code GET /api/audit} ({@code GET /api/users}
 * stays in {@link AdminApi}). The super admin manages everyone; an org admin the org_user and org_admin accounts of
 * their org and reads their org's audit entries; an org user none of this (403: an operation the role may never
 * do). An object outside the caller's scope answers 404, exactly like a missing one. Runs on the admin executor
 * (Argon2id and the database), never on an event loop.
 */
final class DirectoryApi {
  static final int DEFAULT_AUDIT_PAGE = 50;
  /** An audit id as {@link AuditLog} makes it, checked before it reaches SQL as a cursor. */
  private static final Pattern AUDIT_ID = Pattern.compile("aud_[0-9a-z]{1,40}");

  private final Accounts accounts;
  private final TokenStore tokens;
  private final SessionManager sessions;

  DirectoryApi(Accounts accounts, TokenStore tokens, SessionManager sessions) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.sessions = sessions;
  }

  /** {@code p}: the path after {@code /api/}, split at slashes; 404 for anything not listed above. */
  AdminResponse route(AdminRequest r, Scope scope, String[] p) {
    boolean post = r.method().equals(HttpMethod.POST);
    String op = p[0] + "/" + (p.length == 1 ? "" : p.length == 3 ? "*/" + p[2] : "?");
    return switch (op) {
      case "users/" -> post ? createUser(r, scope) : notFound(r);
      case "users/*/disable", "users/*/enable" -> post ? setUserDisabled(r, scope, p[1], p[2].equals("disable"))
          : notFound(r);
      case "orgs/" -> r.isSafe() ? orgs(scope) : post ? createOrg(r, scope) : notFound(r);
      case "orgs/*/disable" -> post ? disableOrg(r, scope, p[1]) : notFound(r);
      case "audit/" -> r.isSafe() ? audit(r, scope) : notFound(r);
      default -> notFound(r);
    };
  }

  // ---- users ----

  /** {@code {"email","name"?,"role"?,"password"?,"org"?}}: 201 {@code {"user"}}. */
  private AdminResponse createUser(AdminRequest r, Scope scope) {
    Account caller = scope.caller();
    if (!managesUsers(caller)) {
      return forbidden("org users cannot create users (expected: an org admin or the super admin)");
    }
    JsonNode body = JsonBodies.object(r);
    String email = JsonBodies.text(body, "email");
    String roleName = JsonBodies.optionalText(body, "role");
    Role role = roleName == null ? Role.ORG_USER : Role.parse(roleName);
    String org = JsonBodies.optionalText(body, "org");
    // Present but blank is a bad password (400 from the hasher), not "no password".
    String password = body.hasNonNull("password") ? body.get("password").asText() : null;
    if (!scope.isSuperAdmin()) {
      if (role == Role.SUPER_ADMIN) {
        return forbidden("role: super_admin (expected: org_user or org_admin; only the super admin makes super"
            + " admins)");
      }
      if (org == null) {
        org = caller.orgSlug();
      } else if (!org.equalsIgnoreCase(caller.orgSlug())) {
        return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no org '" + org + "'");
      }
    }
    Account a = accounts.users().createUser(email, JsonBodies.optionalText(body, "name"), role, org, password);
    accounts.audit().record(caller.name(), "user.create", a.email(), a.orgId(), r.address(),
        "role " + role.wireName());
    return AdminResponse.json(HttpResponseStatus.CREATED, Map.of("user", userJson(a)));
  }

  /**
   * Disables or enables the user {@code email}. Disabling ends their dashboard sessions and their live tunnels (their
   * clients exit 3, as for a revoked token) and makes their tokens refuse new connections until they are enabled.
   */
  private AdminResponse setUserDisabled(AdminRequest r, Scope scope, String email, boolean disable) {
    Account caller = scope.caller();
    if (!managesUsers(caller)) {
      return forbidden("org users cannot disable or enable users (expected: an org admin or the super admin)");
    }
    Optional<Account> target = accounts.users().user(email).filter(scope::covers);
    if (target.isEmpty()) {
      return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no user '" + email + "'");
    }
    Account a = target.get();
    if (!scope.isSuperAdmin() && a.role() == Role.SUPER_ADMIN) {
      return forbidden("user '" + a.email() + "' is a super admin (expected: an org_user or org_admin of your org)");
    }
    if (disable && a.id().equals(caller.id())) {
      return AdminResponse.error(HttpResponseStatus.CONFLICT,
          "you cannot disable yourself (expected: another administrator does it)");
    }
    Account changed = disable ? accounts.users().disableUser(a.email()) : accounts.users().enableUser(a.email());
    int ended = disable ? endTunnelsOf(List.of(changed), "user '" + changed.name() + "' was disabled") : 0;
    accounts.audit().record(caller.name(), disable ? "user.disable" : "user.enable", changed.email(),
        changed.orgId(), r.address(), disable ? ended + " tunnel sessions ended" : null);
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("user", userJson(changed)));
  }

  private static boolean managesUsers(Account caller) {
    return caller.role() == Role.SUPER_ADMIN || (caller.role() == Role.ORG_ADMIN && caller.orgId() != null);
  }

  /** The fields of {@code GET /api/users} that do not need counting. */
  private static Map<String, Object> userJson(Account a) {
    Map<String, Object> u = AccountApi.userJson(a);
    u.put("name", a.name());
    u.put("display_name", a.displayName());
    u.put("admin", a.role() == Role.SUPER_ADMIN);
    return u;
  }

  /**
   * Ends now the tunnel sessions of these users' tokens, which no longer authenticate (the database says so; the
   * token cache is re-checked here so that this server refuses them at once, not at its next poll).
   *
   * @return how many sessions ended
   */
  private int endTunnelsOf(List<Account> users, String why) {
    Set<String> names = users.stream().map(Account::name).collect(Collectors.toSet());
    Set<String> ids = tokens.list().stream().filter(t -> names.contains(t.user())).map(TokenInfo::id)
        .collect(Collectors.toSet());
    tokens.revokedAmong(Set.of());
    return ids.isEmpty() ? 0 : sessions.endSessionsOf(ids, why);
  }

  // ---- orgs ----

  /** The super admin's: every org; anyone else's: their own (none when they have none). */
  private AdminResponse orgs(Scope scope) {
    Account caller = scope.caller();
    List<Org> listed = accounts.users().orgs().stream()
        .filter(o -> scope.isSuperAdmin() || o.id().equals(caller.orgId())).toList();
    Map<String, Integer> members = new HashMap<>();
    for (Account a : accounts.users().users(scope.isSuperAdmin() ? null : caller.orgId())) {
      if (a.orgId() != null) {
        members.merge(a.orgId(), 1, Integer::sum);
      }
    }
    List<Map<String, Object>> out = new ArrayList<>(listed.size());
    for (Org o : listed) {
      out.add(orgJson(o, members.getOrDefault(o.id(), 0)));
    }
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("orgs", out));
  }

  /** {@code {"slug","name"?}}: 201 {@code {"org"}}; the super admin's only. */
  private AdminResponse createOrg(AdminRequest r, Scope scope) {
    if (!scope.isSuperAdmin()) {
      return forbidden("only the super admin creates orgs");
    }
    JsonNode body = JsonBodies.object(r);
    Org o = accounts.users().createOrg(JsonBodies.text(body, "slug"), JsonBodies.optionalText(body, "name"));
    accounts.audit().record(scope.caller().name(), "org.create", o.slug(), o.id(), r.address(), null);
    return AdminResponse.json(HttpResponseStatus.CREATED, Map.of("org", orgJson(o, 0)));
  }

  /** Disables an org: its members cannot sign in, their sessions and tunnels end, their tokens stop working. */
  private AdminResponse disableOrg(AdminRequest r, Scope scope, String slug) {
    if (!scope.isSuperAdmin()) {
      return forbidden("only the super admin disables orgs");
    }
    Optional<Org> org = accounts.users().org(slug);
    if (org.isPresent() && org.get().id().equals(scope.caller().orgId())) {
      return AdminResponse.error(HttpResponseStatus.CONFLICT, "you are a member of org '" + org.get().slug()
          + "': disabling it would lock you out (expected: another super admin does it)");
    }
    Org o = accounts.users().disableOrg(slug); // 404 when unknown
    List<Account> members = accounts.users().users(o.id());
    int ended = endTunnelsOf(members, "org '" + o.slug() + "' was disabled");
    accounts.audit().record(scope.caller().name(), "org.disable", o.slug(), o.id(), r.address(),
        ended + " tunnel sessions ended");
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("org", orgJson(o, members.size())));
  }

  private static Map<String, Object> orgJson(Org o, int members) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("slug", o.slug());
    m.put("name", o.name());
    m.put("disabled", o.disabled());
    m.put("members", members);
    m.put("created_at", o.createdAt().toString());
    return m;
  }

  // ---- audit log ----

  /** {@code ?before=ID&limit=N}: the super admin's whole log, an org admin's org's entries, newest first. */
  private AdminResponse audit(AdminRequest r, Scope scope) {
    Account caller = scope.caller();
    if (!managesUsers(caller)) {
      return forbidden("the audit log is for administrators (expected: an org admin or the super admin)");
    }
    String before = r.queryParam("before");
    if (before != null && !AUDIT_ID.matcher(before).matches()) {
      throw new IllegalArgumentException("before: '" + before + "' (expected: the id of an entry, such as the"
          + " next_before of the previous page)");
    }
    AuditLog.Page page = accounts.audit().pageWithNext(scope.isSuperAdmin() ? null : caller.orgId(), before,
        limit(r.queryParam("limit")));
    Map<String, String> slugs = accounts.users().orgs().stream().collect(Collectors.toMap(Org::id, Org::slug));
    List<Map<String, Object>> out = new ArrayList<>(page.entries().size());
    for (AuditLog.Entry e : page.entries()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id());
      m.put("at", e.at().toString());
      m.put("actor", e.actor());
      m.put("action", e.action());
      m.put("target", e.target());
      m.put("org", e.orgId() == null ? null : slugs.getOrDefault(e.orgId(), e.orgId()));
      m.put("address", e.address());
      m.put("detail", e.detail());
      out.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("entries", out);
    body.put("next_before", page.nextBefore());
    return AdminResponse.json(HttpResponseStatus.OK, body);
  }

  /** {@code limit}: default {@value #DEFAULT_AUDIT_PAGE}, at most {@link AuditLog#MAX_PAGE} (more is capped). */
  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_AUDIT_PAGE;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return Math.min(n, AuditLog.MAX_PAGE);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("limit: '" + value + "' (expected: a whole number from 1 to "
        + AuditLog.MAX_PAGE + ")");
  }

  private static AdminResponse forbidden(String message) {
    return AdminResponse.error(HttpResponseStatus.FORBIDDEN, message);
  }

  private static AdminResponse notFound(AdminRequest r) {
    return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no API operation " + r.method() + " " + r.path()
        + " (see /api/openapi.json)");
  }
}

package dev.grok.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.Account;
import dev.grok.server.auth.AccountException;
import dev.grok.server.auth.Accounts;
import dev.grok.server.auth.CreatedToken;
import dev.grok.server.auth.TokenInfo;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.metrics.ServerMetrics;
import dev.grok.server.metrics.TrafficHistory;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.tunnel.SessionManager;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API under {@code /api} (documented in {@code openapi.json}, served at {@code /api/openapi.json}).
 * Runs on the admin executor, never on an event loop: it reads the database and hashes passwords. Every operation
 * is limited to the caller's {@link Scope}; objects outside it answer 404 like missing ones.
 */
final class AdminApi {
  /** Where the dashboard's sign-in posts; the only API call open without credentials besides the document. */
  static final String SESSION_PATH = "/api/session";

  private final AdminAuth auth;
  private final AccountApi accountApi;
  private final DirectoryApi directory;
  private final Accounts accounts;
  private final TokenStore tokens;
  private final TunnelRegistry registry;
  private final SessionManager sessions;
  private final ServerMetrics metrics;
  private final RequestLogApi requestLogApi;
  private final String publicUrlFormat;

  /** {@code publicUrlFormat} turns a tunnel name into its URL ({@code %s} is the name). */
  AdminApi(TokenStore tokens, Accounts accounts, SignInThrottle throttle, TunnelRegistry registry,
      SessionManager sessions, ServerMetrics metrics, String publicUrlFormat) {
    this.auth = new AdminAuth(tokens, accounts);
    this.accountApi = new AccountApi(auth, accounts, throttle);
    this.directory = new DirectoryApi(accounts, tokens, sessions);
    this.accounts = accounts;
    this.tokens = tokens;
    this.registry = registry;
    this.sessions = sessions;
    this.metrics = metrics;
    this.requestLogApi = new RequestLogApi(metrics.requestLog(), registry);
    this.publicUrlFormat = publicUrlFormat;
  }

  AdminResponse handle(AdminRequest r) {
    try {
      AdminResponse open = accountApi.open(r);
      if (open != null) {
        return open;
      }
      AdminAuth.Principal who = auth.authenticate(r);
      String[] p = r.path().substring("/api/".length()).split("/", -1);
      AdminResponse own = accountApi.route(r, who, p);
      return own != null ? own : route(r, new Scope(who.account(), accounts.users()), p);
    } catch (AdminAuth.Denied d) {
      return d.response;
    } catch (AccountException e) {
      return AccountApi.error(e);
    } catch (IllegalArgumentException bad) {
      return AdminResponse.error(HttpResponseStatus.BAD_REQUEST, bad.getMessage());
    }
  }

  private AdminResponse route(AdminRequest r, Scope scope, String[] p) {
    HttpMethod m = r.method();
    boolean get = r.isSafe();
    return switch (p[0]) {
      case "tunnels" -> {
        if (p.length == 1 && get) {
          yield AdminResponse.json(HttpResponseStatus.OK, Map.of("tunnels", tunnels(scope)));
        } else if (p.length == 2 && m.equals(HttpMethod.DELETE)) {
          yield stopTunnel(r, p[1], scope);
        } else if (p.length == 3 && p[2].equals("requests") && get) {
          yield requestLogApi.requests(r, p[1], scope);
        }
        yield notFound(r);
      }
      case "stats" -> p.length == 1 && get ? stats(scope) : notFound(r);
      case "users" -> p.length == 1 && get ? AdminResponse.json(HttpResponseStatus.OK, users(scope))
          : directory.route(r, scope, p);
      case "orgs", "audit" -> directory.route(r, scope, p);
      case "tokens" -> {
        if (p.length == 1 && get) {
          yield AdminResponse.json(HttpResponseStatus.OK, Map.of("tokens", tokens.list().stream()
              .filter(t -> scope.covers(t.user())).map(AdminApi::tokenJson).toList()));
        } else if (p.length == 1 && m.equals(HttpMethod.POST)) {
          yield createToken(r, scope);
        } else if (p.length == 2 && m.equals(HttpMethod.DELETE)) {
          yield revokeToken(r, p[1], scope);
        }
        yield notFound(r);
      }
      default -> notFound(r);
    };
  }

  private static AdminResponse notFound(AdminRequest r) {
    return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no API operation " + r.method() + " " + r.path()
        + " (see /api/openapi.json)");
  }

  // ---- tunnels ----

  private List<Map<String, Object>> tunnels(Scope scope) {
    List<Tunnel> all = new ArrayList<>(registry.all());
    all.removeIf(t -> !scope.covers(t.user()));
    all.sort(Comparator.comparing(Tunnel::name));
    List<Map<String, Object>> out = new ArrayList<>(all.size());
    for (Tunnel t : all) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("kind", t.kind());
      m.put("user", t.user());
      m.put("org", scope.owner(t.user()).map(Account::orgSlug).orElse(null));
      m.put("public_url", String.format(publicUrlFormat, t.name()));
      m.put("since", Instant.ofEpochMilli(t.sinceMillis()).toString());
      m.put("requests", t.traffic().requests());
      m.put("bytes_in", t.traffic().bytesIn());
      m.put("bytes_out", t.traffic().bytesOut());
      out.add(m);
    }
    return out;
  }

  /** The live tunnel {@code name} when the caller's scope covers it, else null (answered 404 either way). */
  private Tunnel visibleTunnel(String name, Scope scope) {
    Tunnel t = registry.lookup(name);
    return t != null && scope.covers(t.user()) ? t : null;
  }

  private AdminResponse stopTunnel(AdminRequest r, String name, Scope scope) {
    Tunnel t = visibleTunnel(name, scope);
    String who = scope.caller().name();
    if (t == null || !stop(t, "stopped by administrator '" + who + "'")) {
      return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no live tunnel '" + name + "'");
    }
    accounts.audit().record(who, "tunnel.stop", name, scope.owner(t.user()).map(Account::orgId).orElse(null),
        r.address(), "owner " + t.user());
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("stopped", name));
  }

  /** Ends one tunnel through its owner; the one place that knows how (false when it was gone already). */
  private static boolean stop(Tunnel t, String reason) {
    return t.stop(reason);
  }

  // ---- server ----

  /** Server-wide figures: the super admin's only (404 for others, as for any object outside a scope). */
  private AdminResponse stats(Scope scope) {
    if (!scope.isSuperAdmin()) {
      return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no API operation GET /api/stats for role "
          + scope.caller().role().wireName() + " (server-wide figures are the super admin's)");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sessions", sessions.all().size());
    m.put("tunnels", registry.size());
    m.put("requests", metrics.requests());
    m.put("bytes_in", metrics.bodyBytesIn());
    m.put("bytes_out", metrics.bodyBytesOut());
    List<List<Long>> history = new ArrayList<>();
    for (TrafficHistory.Sample s : metrics.history().samples()) {
      history.add(List.of(s.epochSecond(), s.requests(), s.bytesIn(), s.bytesOut()));
    }
    m.put("history_columns", List.of("epoch_second", "requests", "bytes_in", "bytes_out"));
    m.put("history", history);
    return AdminResponse.json(HttpResponseStatus.OK, m);
  }

  /** The accounts in scope, with their live tokens and tunnels counted. */
  private Map<String, Object> users(Scope scope) {
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    List<Account> listed = scope.isSuperAdmin() ? accounts.users().users(null)
        : scope.orgFilter() != null && scope.caller().role() == dev.grok.server.auth.Role.ORG_ADMIN
            ? accounts.users().users(scope.orgFilter()) : List.of(scope.caller());
    for (Account a : listed) {
      Map<String, Object> u = AccountApi.userJson(a);
      u.put("name", a.name()); // what tokens and tunnels show
      u.put("display_name", a.displayName());
      u.put("admin", a.role() == dev.grok.server.auth.Role.SUPER_ADMIN);
      u.put("tokens", 0);
      u.put("tunnels", 0);
      byName.put(a.name(), u);
    }
    for (TokenInfo t : tokens.list()) {
      Map<String, Object> u = byName.get(t.user());
      if (u != null && !t.revoked()) {
        u.put("tokens", (int) u.get("tokens") + 1);
      }
    }
    for (Tunnel t : registry.all()) {
      Map<String, Object> u = byName.get(t.user());
      if (u != null) {
        u.put("tunnels", (int) u.get("tunnels") + 1);
      }
    }
    return Map.of("users", List.copyOf(byName.values()));
  }

  // ---- tokens ----

  /**
   * {@code {"name", "user"?}}: a token for the caller, or for {@code user} when the caller's scope covers that
   * account (404 otherwise, as for an unknown one).
   */
  private AdminResponse createToken(AdminRequest r, Scope scope) {
    JsonNode body = JsonBodies.object(r);
    String name = JsonBodies.text(body, "name");
    String user = JsonBodies.optionalText(body, "user");
    if (user == null) {
      user = scope.caller().name();
    } else if (!scope.isSuperAdmin()) {
      Optional<Account> owner = accounts.users().user(user);
      if (owner.isEmpty() || !scope.covers(owner.get())) {
        return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no user '" + user + "'");
      }
      user = owner.get().name();
    }
    CreatedToken created = tokens.create(name, user);
    Account owner = scope.owner(created.user()).orElse(null);
    accounts.audit().record(scope.caller().name(), "token.create", created.id(),
        owner == null ? null : owner.orgId(), r.address(), "name " + name + ", user " + created.user());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", created.id());
    m.put("name", created.name());
    m.put("user", created.user());
    m.put("token", created.token());
    return AdminResponse.json(HttpResponseStatus.CREATED, m);
  }

  private AdminResponse revokeToken(AdminRequest r, String idOrName, Scope scope) {
    // Names are unique per user only: by name, only the caller's scope is searched (others' names stay unseen).
    List<TokenInfo> all = tokens.list();
    List<TokenInfo> named = all.stream().filter(t -> t.name().equals(idOrName) && scope.covers(t.user())).toList();
    if (named.size() > 1) {
      throw new IllegalArgumentException("token name '" + idOrName + "' belongs to " + named.size()
          + " tokens of different users (expected: the token's id, see GET /api/tokens)");
    }
    Optional<TokenInfo> token = all.stream().filter(t -> t.id().equals(idOrName)).findFirst()
        .or(() -> named.stream().findFirst())
        .filter(t -> scope.covers(t.user()));
    if (token.isEmpty() || !tokens.revoke(token.get().id())) {
      return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no token with ID or name '" + idOrName + "'");
    }
    accounts.audit().record(scope.caller().name(), "token.revoke", token.get().id(),
        scope.owner(token.get().user()).map(Account::orgId).orElse(null), r.address(), "name " + token.get().name());
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("revoked", idOrName));
  }

  private static Map<String, Object> tokenJson(TokenInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("name", t.name());
    m.put("user", t.user());
    m.put("status", t.revoked() ? "revoked" : "active");
    m.put("created_at", t.createdAt().toString());
    return m;
  }
}

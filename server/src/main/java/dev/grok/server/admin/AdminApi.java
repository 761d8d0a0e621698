package dev.grok.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.grok.server.auth.CreatedToken;
import dev.grok.server.auth.TokenInfo;
import dev.grok.server.auth.TokenStore;
import dev.grok.server.metrics.RequestLog;
import dev.grok.server.metrics.ServerMetrics;
import dev.grok.server.metrics.TrafficHistory;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.tunnel.SessionManager;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The REST API under {@code /api} (documented in {@code openapi.json}, served at {@code /api/openapi.json}).
 * Runs on the admin executor, never on an event loop: it reads the token database.
 */
final class AdminApi {
  /** Where the dashboard's sign-in posts; the only API call open without credentials besides the document. */
  static final String SESSION_PATH = "/api/session";

  private final AdminAuth auth;
  private final TokenStore tokens;
  private final TunnelRegistry registry;
  private final SessionManager sessions;
  private final ServerMetrics metrics;
  private final String publicUrlFormat;

  /** {@code publicUrlFormat} turns a tunnel name into its URL ({@code %s} is the name). */
  AdminApi(TokenStore tokens, TunnelRegistry registry, SessionManager sessions, ServerMetrics metrics,
      String publicUrlFormat) {
    this.auth = new AdminAuth(tokens);
    this.tokens = tokens;
    this.registry = registry;
    this.sessions = sessions;
    this.metrics = metrics;
    this.publicUrlFormat = publicUrlFormat;
  }

  AdminResponse handle(AdminRequest r) {
    try {
      if (r.path().equals(SESSION_PATH) && r.method().equals(HttpMethod.POST)) {
        return signIn(r);
      }
      AdminAuth.Principal who = auth.authenticate(r);
      return route(r, who, r.path().substring("/api/".length()).split("/", -1));
    } catch (AdminAuth.Denied d) {
      return d.response;
    } catch (IllegalArgumentException bad) {
      return AdminResponse.error(HttpResponseStatus.BAD_REQUEST, bad.getMessage());
    }
  }

  private AdminResponse route(AdminRequest r, AdminAuth.Principal who, String[] p) {
    HttpMethod m = r.method();
    boolean get = r.isSafe();
    return switch (p[0]) {
      case "session" -> p.length == 1 && get ? AdminResponse.json(HttpResponseStatus.OK, sessionJson(who))
          : p.length == 1 && m.equals(HttpMethod.DELETE) ? signOut(who) : notFound(r);
      case "tunnels" -> {
        if (p.length == 1 && get) {
          yield AdminResponse.json(HttpResponseStatus.OK, Map.of("tunnels", tunnels()));
        } else if (p.length == 2 && m.equals(HttpMethod.DELETE)) {
          yield stopTunnel(p[1], who);
        } else if (p.length == 3 && p[2].equals("requests") && get) {
          yield recentRequests(p[1]);
        }
        yield notFound(r);
      }
      case "stats" -> p.length == 1 && get ? AdminResponse.json(HttpResponseStatus.OK, stats()) : notFound(r);
      case "users" -> p.length == 1 && get ? AdminResponse.json(HttpResponseStatus.OK, users()) : notFound(r);
      case "tokens" -> {
        if (p.length == 1 && get) {
          yield AdminResponse.json(HttpResponseStatus.OK, Map.of("tokens", tokens.list().stream()
              .map(AdminApi::tokenJson).toList()));
        } else if (p.length == 1 && m.equals(HttpMethod.POST)) {
          yield createToken(r);
        } else if (p.length == 2 && m.equals(HttpMethod.DELETE)) {
          yield tokens.revoke(p[1])
              ? AdminResponse.json(HttpResponseStatus.OK, Map.of("revoked", p[1]))
              : AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no token with ID or name '" + p[1] + "'");
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

  // ---- sign-in ----

  private AdminResponse signIn(AdminRequest r) throws AdminAuth.Denied {
    requireJson(r);
    String token = text(parse(r), "token");
    AdminAuth.Session s = auth.signIn(auth.adminOf(token));
    return AdminResponse.json(HttpResponseStatus.OK, sessionJson(new AdminAuth.Principal(s.user(), s)))
        .withHeader("Set-Cookie", AdminAuth.cookie(s));
  }

  private AdminResponse signOut(AdminAuth.Principal who) {
    if (who.session() != null) {
      auth.signOut(who.session());
    }
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("signed_out", true))
        .withHeader("Set-Cookie", AdminAuth.cookie(null));
  }

  private static Map<String, Object> sessionJson(AdminAuth.Principal who) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", who.user());
    m.put("csrf_token", who.session() == null ? null : who.session().csrf());
    return m;
  }

  // ---- tunnels ----

  private List<Map<String, Object>> tunnels() {
    List<Tunnel> all = new ArrayList<>(registry.all());
    all.sort(Comparator.comparing(Tunnel::name));
    List<Map<String, Object>> out = new ArrayList<>(all.size());
    for (Tunnel t : all) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("kind", t.kind());
      m.put("user", t.user());
      m.put("public_url", String.format(publicUrlFormat, t.name()));
      m.put("since", Instant.ofEpochMilli(t.sinceMillis()).toString());
      m.put("requests", t.traffic().requests());
      m.put("bytes_in", t.traffic().bytesIn());
      m.put("bytes_out", t.traffic().bytesOut());
      out.add(m);
    }
    return out;
  }

  private AdminResponse stopTunnel(String name, AdminAuth.Principal who) {
    Tunnel t = registry.lookup(name);
    if (t == null || !t.stop("stopped by administrator '" + who.user() + "'")) {
      return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no live tunnel '" + name + "'");
    }
    return AdminResponse.json(HttpResponseStatus.OK, Map.of("stopped", name));
  }

  private AdminResponse recentRequests(String name) {
    if (registry.lookup(name) == null) {
      return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no live tunnel '" + name + "'");
    }
    List<RequestLog.Entry> entries = metrics.requestLog().recent(name);
    List<Map<String, Object>> out = new ArrayList<>(entries.size());
    for (RequestLog.Entry e : entries) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", Instant.ofEpochMilli(e.atMillis()).toString());
      m.put("method", e.method());
      m.put("path", e.uri());
      m.put("status", e.status());
      m.put("error", e.error());
      m.put("duration_ms", Math.round(e.durationMillis() * 1000) / 1000.0);
      m.put("bytes_in", e.requestBytes());
      m.put("bytes_out", e.responseBytes());
      out.add(m);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tunnel", name);
    body.put("requests", out);
    body.put("dropped", metrics.requestLog().dropped());
    return AdminResponse.json(HttpResponseStatus.OK, body);
  }

  // ---- server ----

  private Map<String, Object> stats() {
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
    return m;
  }

  private Map<String, Object> users() {
    Map<String, Map<String, Object>> byUser = new TreeMap<>();
    for (TokenInfo t : tokens.list()) {
      Map<String, Object> u = user(byUser, t.user());
      u.put("tokens", (int) u.get("tokens") + (t.revoked() ? 0 : 1));
    }
    for (Tunnel t : registry.all()) {
      Map<String, Object> u = user(byUser, t.user());
      u.put("tunnels", (int) u.get("tunnels") + 1);
    }
    return Map.of("users", List.copyOf(byUser.values()));
  }

  private static Map<String, Object> user(Map<String, Map<String, Object>> byUser, String name) {
    return byUser.computeIfAbsent(name, n -> {
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("name", n);
      u.put("admin", n.equals(TokenStore.ADMIN_USER));
      u.put("tokens", 0);
      u.put("tunnels", 0);
      return u;
    });
  }

  // ---- tokens ----

  private AdminResponse createToken(AdminRequest r) {
    requireJson(r);
    JsonNode body = parse(r);
    String name = text(body, "name");
    String user = body.hasNonNull("user") ? body.get("user").asText() : TokenStore.ADMIN_USER;
    CreatedToken created = tokens.create(name, user);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", created.id());
    m.put("name", created.name());
    m.put("user", created.user());
    m.put("token", created.token());
    return AdminResponse.json(HttpResponseStatus.CREATED, m);
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

  // ---- bodies ----

  /** JSON only: a cross-site HTML form cannot send it without a CORS preflight, which this port never grants. */
  private static void requireJson(AdminRequest r) {
    String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new IllegalArgumentException("Content-Type: " + type + " (expected: application/json)");
    }
  }

  private static JsonNode parse(AdminRequest r) {
    try {
      JsonNode n = AdminResponse.JSON.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("body: not a JSON object (expected: e.g. {\"name\": \"laptop\"})");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("body: not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(field + ": missing (expected: a non-empty string)");
    }
    return v.asText();
  }
}

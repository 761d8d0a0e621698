package dev.grok.server.admin;

import dev.grok.server.auth.Role;
import dev.grok.server.registry.Tunnel;
import dev.grok.server.registry.TunnelRegistry;
import dev.grok.server.requestlog.LoggedRequest;
import dev.grok.server.requestlog.RequestLog;
import dev.grok.server.requestlog.RequestLogQuery;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/tunnels/{name}/requests?before=ID&limit=N&method=M&status=S&q=TEXT}: a tunnel's request log from
 * the database, newest first, paged by id. Works for a tunnel that is offline now as long as its rows exist: each
 * row carries the user who owned the tunnel then, and the caller sees only rows of owners in their scope (an org
 * user their own, an org admin their org members', the super admin all). A tunnel with no visible row that is not
 * live in the caller's scope answers 404, like a missing one. Runs on the admin executor (it reads the database).
 */
final class RequestLogApi {
  /** Null when the server keeps no request log (an embedding without a database log): only live tunnels answer. */
  private final RequestLog log;
  private final TunnelRegistry registry;

  RequestLogApi(RequestLog log, TunnelRegistry registry) {
    this.log = log;
    this.registry = registry;
  }

  AdminResponse requests(AdminRequest r, String tunnel, Scope scope) {
    RequestLogQuery query = scoped(RequestLogQuery.parse(tunnel, r.queryParam("before"), r.queryParam("limit"),
        r.queryParam("method"), r.queryParam("status"), r.queryParam("q")), scope);
    RequestLog.Page page = log == null ? new RequestLog.Page(List.of(), null) : log.page(query);
    if (page.requests().isEmpty() && !liveInScope(tunnel, scope) && (log == null || !log.anyVisible(query))) {
      return AdminResponse.error(HttpResponseStatus.NOT_FOUND, "no tunnel '" + tunnel + "' with logged requests");
    }
    List<Map<String, Object>> out = new ArrayList<>(page.requests().size());
    for (LoggedRequest e : page.requests()) {
      out.add(json(e));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tunnel", tunnel);
    body.put("requests", out);
    body.put("next_before", page.nextBefore());
    return AdminResponse.json(HttpResponseStatus.OK, body);
  }

  /** {@code query} limited to the rows the caller may see, the same rule as {@link Scope#covers(String)}. */
  private static RequestLogQuery scoped(RequestLogQuery query, Scope scope) {
    if (scope.isSuperAdmin()) {
      return query;
    }
    if (scope.caller().role() == Role.ORG_ADMIN && scope.caller().orgId() != null) {
      return query.ownedInOrg(scope.caller().orgId());
    }
    return query.ownedBy(scope.caller().name());
  }

  private boolean liveInScope(String tunnel, Scope scope) {
    Tunnel t = registry.lookup(tunnel);
    return t != null && scope.covers(t.user());
  }

  private static Map<String, Object> json(LoggedRequest e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("at", Instant.ofEpochMilli(e.atMillis()).toString());
    m.put("tunnel", e.tunnel());
    m.put("method", e.method());
    m.put("path", e.path());
    m.put("status", e.status());
    m.put("duration_ms", e.durationMicros() / 1000.0);
    m.put("bytes_in", e.bytesIn());
    m.put("bytes_out", e.bytesOut());
    m.put("remote_addr", e.remoteAddr());
    m.put("error", e.error());
    return m;
  }
}

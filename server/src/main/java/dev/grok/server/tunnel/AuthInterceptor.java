package dev.grok.server.tunnel;

import dev.grok.common.Limits;
import dev.grok.server.auth.TokenInfo;
import dev.grok.server.auth.TokenStore;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;

/**
 * Checks the bearer token of every RPC; a missing, unknown or revoked token (or one whose user or org is disabled)
 * ends the call with UNAUTHENTICATED and a description containing "invalid token" (the client exits 3 on it). The
 * token's identity travels in the {@link Context} to the service.
 */
public final class AuthInterceptor implements ServerInterceptor {
  static final Context.Key<TokenInfo> PRINCIPAL = Context.key("grok-principal");
  static final Context.Key<String> SESSION_ID = Context.key("grok-session");

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of(Limits.AUTHORIZATION_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SESSION =
      Metadata.Key.of(Limits.SESSION_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  private final TokenStore tokens;

  public AuthInterceptor(TokenStore tokens) {
    this.tokens = tokens;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String auth = headers.get(AUTHORIZATION);
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      call.close(Status.UNAUTHENTICATED.withDescription(
          "invalid token: none was sent (pass --token, set GROK_TOKEN or run `grok config set-token`)"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Optional<TokenInfo> principal = tokens.authenticate(auth.substring(7).trim());
    if (principal.isEmpty()) {
      call.close(Status.UNAUTHENTICATED.withDescription(
          "invalid token: unknown or revoked, or its user disabled (ask the server's admin for a token: grok-server"
              + " token create NAME)"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context ctx = Context.current().withValue(PRINCIPAL, principal.get());
    String session = headers.get(SESSION);
    if (session != null) {
      ctx = ctx.withValue(SESSION_ID, session);
    }
    return Contexts.interceptCall(ctx, call, headers, next);
  }
}

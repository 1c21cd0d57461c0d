package dev.agentphone.http;

import io.vertx.ext.web.RoutingContext;

/**
 * The authenticated caller of a request, resolved once by {@link ApiKeyAuth}. {@code accountId}
 * is the account the request acts for: every route passes it, and only it, to the domain APIs,
 * so whatever decides which account that is decides it for every operation at once. It is the
 * key's account, or the sub-account of it named by {@link ApiKeyAuth#SUB_ACCOUNT_HEADER}; the
 * rate limit stays the key's ({@code keyId}).
 */
public record Caller(String accountId, String keyId) {
  private static final String KEY = "agentphone.caller";

  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException("route is not behind authentication");
    }
    return caller;
  }

  /** The account the request behind {@code ctx} acts for. */
  public static String accountOf(RoutingContext ctx) {
    return of(ctx).accountId();
  }

  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }
}

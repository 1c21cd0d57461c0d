package dev.agentphone.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The authenticated account behind a request; every domain query is scoped to it. */
public record Caller(String accountId, String keyId) {
  private static final String KEY = "agentphone.caller";

  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException("route is not behind authentication");
    }
    return caller;
  }

  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** A bus payload already scoped to this caller's account. */
  public JsonObject payload() {
    return new JsonObject().put("accountId", accountId);
  }
}

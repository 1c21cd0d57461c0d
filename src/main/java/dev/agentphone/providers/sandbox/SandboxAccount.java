package dev.agentphone.providers.sandbox;

import dev.agentphone.Engine;
import dev.agentphone.calls.CallsVerticle;
import dev.agentphone.http.ApiKeyAuth;
import dev.agentphone.http.Caller;
import dev.agentphone.numbers.NumbersVerticle;
import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The sandbox tools that act on a number or a call act for the account whose API key the request
 * carries, and only on that account's own numbers and calls: anything else is 404, as in the API.
 */
final class SandboxAccount {
  private SandboxAccount() {
  }

  /** Bearer API-key authentication, exactly as for {@code /v1}. */
  static Handler<RoutingContext> auth(Engine engine) {
    return ApiKeyAuth.forEngine(engine);
  }

  /** The caller's active number with this phone number, else a 404. */
  static Future<JsonObject> number(RoutingContext ctx, String phoneNumber) {
    return Bus.request(ctx.vertx(), NumbersVerticle.FIND_ACTIVE,
        Caller.of(ctx).payload().put("phoneNumber", phoneNumber));
  }

  /** The caller's call with this id, else a 404. */
  static Future<JsonObject> call(RoutingContext ctx, String callId) {
    return Bus.request(ctx.vertx(), CallsVerticle.GET,
        Caller.of(ctx).payload().put("callId", callId));
  }
}

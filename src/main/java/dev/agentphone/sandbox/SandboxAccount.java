package dev.agentphone.sandbox;

import dev.agentphone.calls.CallsApi;
import dev.agentphone.http.Caller;
import dev.agentphone.numbers.NumbersApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The sandbox tools that act on a number or a call act for the account whose API key the request
 * carries (authenticated exactly as for {@code /v1}, so {@code X-Sub-Account-Id} makes them act
 * for one of its sub-accounts), and only on that account's own numbers and calls: anything else
 * is 404, as in the API.
 */
final class SandboxAccount {
  private final NumbersApi numbers;
  private final CallsApi calls;

  SandboxAccount(NumbersApi numbers, CallsApi calls) {
    this.numbers = numbers;
    this.calls = calls;
  }

  /** The caller's active number with this phone number, else a 404. */
  Future<JsonObject> number(RoutingContext ctx, String phoneNumber) {
    return numbers.activeByPhone(Caller.accountOf(ctx), phoneNumber);
  }

  /** The caller's call with this id, else a 404. */
  Future<JsonObject> call(RoutingContext ctx, String callId) {
    return calls.get(Caller.accountOf(ctx), callId);
  }
}

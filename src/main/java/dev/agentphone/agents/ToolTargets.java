package dev.agentphone.agents;

import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.platform.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Refuses, when an agent is saved, custom tools whose URL reaches a forbidden address now, as a
 * webhook URL is refused; a name that does not resolve yet is accepted. Every call of a tool is
 * checked again before it connects, so this only tells the customer early.
 */
final class ToolTargets {
  private final SsrfGuard guard;

  ToolTargets(SsrfGuard guard) {
    this.guard = guard;
  }

  /** Fails with one 422 naming each refused tool's URL. */
  Future<Void> check(JsonArray tools) {
    if (tools == null || tools.isEmpty() || guard.allowsPrivateTargets()) {
      return Future.succeededFuture();
    }
    JsonArray errors = new JsonArray();
    Future<Void> all = Future.succeededFuture();
    for (int i = 0; i < tools.size(); i++) {
      int index = i;
      String url = tools.getJsonObject(i).getString("url");
      all = all.compose(v -> guard.resolve(url).<Void>mapEmpty().recover(failure -> {
        if (failure instanceof SsrfGuard.Refused refused) {
          errors.add(new JsonObject()
              .put("loc", new JsonArray().add("body").add("customTools").add(index).add("url"))
              .put("msg", "Value error, " + refused.getMessage()).put("type", "value_error"));
        }
        // a name that does not resolve (yet) is checked again when the tool runs
        return Future.succeededFuture();
      }));
    }
    return all.compose(v -> errors.isEmpty() ? Future.<Void>succeededFuture()
        : Future.failedFuture(new ApiError(422, errors)));
  }
}

package dev.agentphone.calls;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What happens on a live call between its stored turns: the caller's words as they are heard,
 * the agent starting and stopping to speak, webhook turns, tools, the provider's socket coming
 * and going, takeovers. Published cluster-wide on {@code calls.{id}.live} for the live sockets of
 * any node; nothing of it is stored, so only those connected see it. Each frame carries
 * {@code ts}, the session's clock (epoch ms) when it was published.
 */
final class LiveFeed {
  private final Vertx vertx;
  private final String callId;

  LiveFeed(Vertx vertx, String callId) {
    this.vertx = vertx;
    this.callId = callId;
  }

  static String address(String callId) {
    return "calls." + callId + ".live";
  }

  void publish(String type, JsonObject data) {
    vertx.eventBus().publish(address(callId), data.put("type", type)
        .put("ts", System.currentTimeMillis()));
  }
}

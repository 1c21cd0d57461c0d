package dev.agentphone.calls;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.BiConsumer;

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
  private BiConsumer<String, JsonObject> tap = (type, data) -> { };

  LiveFeed(Vertx vertx, String callId) {
    this.vertx = vertx;
    this.callId = callId;
  }

  static String address(String callId) {
    return "calls." + callId + ".live";
  }

  /** Also hands each frame to {@code listener}, in the session, before it is published. */
  void tap(BiConsumer<String, JsonObject> listener) {
    this.tap = listener;
  }

  void publish(String type, JsonObject data) {
    tap.accept(type, data);
    vertx.eventBus().publish(address(callId), data.put("type", type)
        .put("ts", System.currentTimeMillis()));
  }
}

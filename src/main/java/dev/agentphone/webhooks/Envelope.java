package dev.agentphone.webhooks;

import dev.agentphone.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

/**
 * The JSON a customer's webhook receives for an event:
 * {@code {event, channel, timestamp, accountId, agentId, data, conversationState, recentHistory}}.
 * {@code accountId} is the account the event belongs to: a sub-account's own id for its events,
 * also when they reach its parent's webhook.
 */
final class Envelope {
  private Envelope() {
  }

  static JsonObject of(String type, String channel, OffsetDateTime occurredAt, String accountId,
      String agentId, JsonObject data, Object conversationState, JsonArray recentHistory) {
    return new JsonObject()
        .put("event", type)
        .put("channel", channel)
        .put("timestamp", Times.format(occurredAt))
        .put("accountId", accountId)
        .put("agentId", agentId)
        .put("data", data)
        .put("conversationState", conversationState)
        .put("recentHistory", recentHistory == null ? new JsonArray() : recentHistory);
  }
}

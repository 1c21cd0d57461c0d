package dev.agentphone.platform;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;

/**
 * A committed domain event as read from the {@code events} table, or as carried on the Kafka
 * event stream (its JSON form), so consumers handle both sources alike.
 */
public record OutboxEvent(String id, String accountId, String agentId, String type, String channel,
    String conversationId, JsonObject data, OffsetDateTime occurredAt) {

  static final String COLUMNS =
      "id, account_id, agent_id, type, channel, conversation_id, data, occurred_at";

  static OutboxEvent of(Row row) {
    Object data = row.getValue("data");
    return new OutboxEvent(row.getString("id"), row.getString("account_id"),
        row.getString("agent_id"), row.getString("type"), row.getString("channel"),
        row.getString("conversation_id"), data instanceof JsonObject o ? o : null,
        row.getOffsetDateTime("occurred_at"));
  }

  public static OutboxEvent of(JsonObject json) {
    return new OutboxEvent(json.getString("id"), json.getString("accountId"),
        json.getString("agentId"), json.getString("type"), json.getString("channel"),
        json.getString("conversationId"), json.getJsonObject("data"),
        OffsetDateTime.parse(json.getString("occurredAt")));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("accountId", accountId)
        .put("agentId", agentId)
        .put("type", type)
        .put("channel", channel)
        .put("conversationId", conversationId)
        .put("data", data)
        .put("occurredAt", occurredAt.toString());
  }
}

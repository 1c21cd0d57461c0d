package dev.agentphone.calls;

import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * A call's timeline: what people did to a live call ({@code takeover}, {@code release} and the
 * operator's commands), with who did it and when, in {@code call_events}. A session rebuilt on
 * another node reads from here whether its call is taken over; the end of the call lists the
 * takeovers in {@code agent.call_ended}.
 */
final class CallEvents {
  static final String TAKEOVER = "takeover";
  static final String RELEASE = "release";

  private CallEvents() {
  }

  /** Records one event; answers it as {@code {type, by, at, …data}}. */
  static Future<JsonObject> record(SqlClient client, String callId, String type, JsonObject actor,
      JsonObject data) {
    return client.preparedQuery("INSERT INTO call_events (call_id, type, actor, data) "
            + "VALUES ($1, $2, $3, $4) RETURNING created_at")
        .execute(Tuple.of(callId, type, actor, data == null ? new JsonObject() : data))
        .map(rows -> json(type, actor, data, Times.format(rows.iterator().next()
            .getOffsetDateTime("created_at"))));
  }

  /** The takeover in force ({@code {by, at}}), or null when the call is not taken over. */
  static Future<JsonObject> currentTakeover(SqlClient client, String callId) {
    return client.preparedQuery("SELECT type, actor, created_at FROM call_events "
            + "WHERE call_id = $1 AND type IN ('takeover', 'release') ORDER BY id DESC LIMIT 1")
        .execute(Tuple.of(callId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return TAKEOVER.equals(row.getString("type")) ? new JsonObject()
              .put("by", row.getJsonObject("actor"))
              .put("at", Times.format(row.getOffsetDateTime("created_at"))) : null;
        });
  }

  /**
   * Every takeover of the call, oldest first: {@code [{by, at, releasedBy, releasedAt}]}, the
   * release fields null for one still in force when the call ended.
   */
  static Future<JsonArray> takeovers(SqlClient client, String callId) {
    return client.preparedQuery("SELECT type, actor, created_at FROM call_events "
            + "WHERE call_id = $1 AND type IN ('takeover', 'release') ORDER BY id")
        .execute(Tuple.of(callId))
        .map(CallEvents::pairs);
  }

  private static JsonArray pairs(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    JsonObject open = null;
    for (Row row : rows) {
      String at = Times.format(row.getOffsetDateTime("created_at"));
      if (TAKEOVER.equals(row.getString("type"))) {
        open = new JsonObject().put("by", row.getJsonObject("actor")).put("at", at)
            .putNull("releasedBy").putNull("releasedAt");
        out.add(open);
      } else if (open != null) {
        open.put("releasedBy", row.getJsonObject("actor")).put("releasedAt", at);
        open = null;
      }
    }
    return out;
  }

  private static JsonObject json(String type, JsonObject actor, JsonObject data, String at) {
    JsonObject out = data == null ? new JsonObject() : data.copy();
    return out.put("type", type).put("by", actor).put("at", at);
  }
}

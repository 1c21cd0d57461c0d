package dev.agentphone.calls;

import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /v1/calls/{id}/timeline}: the call's events and its turns' spans, every one with its
 * offset in ms from the call's {@code startedAt}. {@code started} and {@code ended} come from the
 * call itself; the rest from {@code call_events} ({@link CallTimeline}, {@link LiveControl}) and
 * {@code call_turn_timings}.
 */
final class CallTimelineQuery {
  private final Pool pool;
  private final CallQueries queries;

  CallTimelineQuery(Pool pool, CallQueries queries) {
    this.pool = pool;
    this.queries = queries;
  }

  /** {@code {accountId, callId}}: 404 for a call that is not the account's. */
  Future<JsonObject> timeline(JsonObject request) {
    return queries.found(request).compose(call -> {
      String id = call.getString("id");
      Future<JsonArray> events = pool.preparedQuery("SELECT type, actor, data, created_at "
              + "FROM call_events WHERE call_id = $1 ORDER BY created_at, id")
          .execute(Tuple.of(id))
          .map(rows -> events(call, rows));
      Future<JsonArray> turns = pool.preparedQuery("SELECT response_id, mode, outcome, "
              + "received_at, engine_ms, webhook_ms, spans FROM call_turn_timings "
              + "WHERE call_id = $1 ORDER BY received_at, id")
          .execute(Tuple.of(id))
          .map(rows -> {
            JsonArray out = new JsonArray();
            rows.forEach(row -> out.add(turn(call.getOffsetDateTime("started_at"), row)));
            return out;
          });
      return Future.all(events, turns).map(read -> new JsonObject()
          .put("callId", id)
          .put("status", call.getString("status"))
          .put("startedAt", Times.format(call.getOffsetDateTime("started_at")))
          .put("endedAt", Times.format(call.getOffsetDateTime("ended_at")))
          .put("events", events.result())
          .put("turns", turns.result()));
    });
  }

  private static JsonArray events(Row call, Iterable<Row> rows) {
    OffsetDateTime started = call.getOffsetDateTime("started_at");
    List<JsonObject> out = new ArrayList<>(List.of(event("started", started, started,
        new JsonObject().put("direction", call.getString("direction")))));
    for (Row row : rows) {
      JsonObject data = row.getJsonObject("data");
      JsonObject event = event(name(row.getString("type")), row.getOffsetDateTime("created_at"),
          started, data == null ? new JsonObject() : data);
      if (row.getJsonObject("actor") != null) {
        event.put("by", row.getJsonObject("actor"));
      }
      out.add(event);
    }
    OffsetDateTime ended = call.getOffsetDateTime("ended_at");
    if (ended != null) {
      out.add(event("ended", ended, started, new JsonObject()
          .put("reason", call.getString("disconnection_reason"))
          .put("status", call.getString("status"))));
    }
    // stable, by offset: ended comes from the provider's clock, the rest from the session's
    out.sort(Comparator.comparingLong(e -> e.getLong("offsetMs")));
    return new JsonArray(new ArrayList<>(out));
  }

  /** The operator's {@code say} is stored as such; the timeline names whose words they were. */
  private static String name(String type) {
    return "say".equals(type) ? "operator_say" : type;
  }

  private static JsonObject event(String type, OffsetDateTime at, OffsetDateTime started,
      JsonObject data) {
    return new JsonObject().put("type", type).put("at", Times.format(at))
        .put("offsetMs", Math.round(offsetMs(started, at))).put("data", data);
  }

  private static JsonObject turn(OffsetDateTime started, Row row) {
    double base = offsetMs(started, row.getOffsetDateTime("received_at"));
    JsonArray spans = new JsonArray();
    JsonArray stored = row.getJsonArray("spans");
    for (int i = 0; stored != null && i < stored.size(); i++) {
      JsonObject span = stored.getJsonObject(i);
      spans.add(new JsonObject().put("name", span.getString("name"))
          .put("offsetMs", round(base + span.getDouble("offsetMs"))));
    }
    return new JsonObject()
        .put("responseId", row.getInteger("response_id"))
        .put("offsetMs", round(base))
        .put("engineMs", round(row.getDouble("engine_ms")))
        .put("webhookMs", round(row.getDouble("webhook_ms")))
        .put("outcome", row.getString("outcome"))
        .put("mode", row.getString("mode"))
        .put("spans", spans);
  }

  private static double offsetMs(OffsetDateTime from, OffsetDateTime to) {
    return from == null || to == null ? 0 : Duration.between(from, to).toNanos() / 1e6;
  }

  /** To the microsecond the database keeps. */
  private static Double round(Double ms) {
    return ms == null ? null : Math.round(ms * 1000) / 1000.0;
  }
}

package dev.agentphone.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Retell's signed call events: the call they are about is found or created
 * ({@link CallAdoption}) and the event handed to its session. Repeated deliveries change nothing.
 * The call objects of {@code call_ended} and {@code call_analyzed} name the call's recording,
 * which {@link CallRecordings} fetches in the background once the call has ended.
 */
final class RetellEvents {
  private final Pool pool;
  private final CallAdoption adoption;
  private final CallSessions sessions;
  private final CallRecordings recordings;

  RetellEvents(Pool pool, CallAdoption adoption, CallSessions sessions,
      CallRecordings recordings) {
    this.pool = pool;
    this.adoption = adoption;
    this.sessions = sessions;
    this.recordings = recordings;
  }

  /** Handles one verified Retell webhook: {@code {event, call}}. */
  Future<JsonObject> handle(JsonObject request) {
    String event = request.getString("event", "");
    JsonObject call = request.getJsonObject("call", new JsonObject());
    return adoption.adopt(call).compose(row -> {
      if (row == null) {
        return Future.succeededFuture(new JsonObject().put("handled", false));
      }
      String id = row.getString("id");
      Future<?> handled = switch (event) {
        case "call_started" -> !CallStore.live(row.getString("status"))
            ? Future.succeededFuture()
            // a hosted call talks to Retell's LLM: no socket of ours is coming
            : "hosted".equals(row.getString("voice_mode")) ? sessions.ensure(id)
            : sessions.expect(id);
        case "transcript_updated" -> CallStore.live(row.getString("status"))
            ? sessions.deliver(id, new JsonObject().put("op", "transcript")
                .put("transcript", call.getJsonArray("transcript_object")))
            : Future.succeededFuture();
        case "call_ended" -> row.getOffsetDateTime("ended_at") == null
            ? sessions.deliver(id, new JsonObject().put("op", "ended").put("call", call))
            : Future.succeededFuture();
        case "call_analyzed" -> analyzed(id, call.getJsonObject("call_analysis"));
        default -> Future.succeededFuture();
      };
      if ("call_ended".equals(event) || "call_analyzed".equals(event)) {
        // not awaited: a download of minutes of audio must not hold Retell's webhook
        handled.onSuccess(v -> recordings.offered(id, call));
      }
      return handled.map(v -> new JsonObject().put("handled", true).put("callId", id));
    });
  }

  private Future<Void> analyzed(String callId, JsonObject analysis) {
    if (analysis == null) {
      return Future.succeededFuture();
    }
    Object successful = analysis.getValue("call_successful");
    return pool.preparedQuery("UPDATE calls SET summary = coalesce($2, summary), "
            + "user_sentiment = coalesce($3, user_sentiment), "
            + "call_successful = coalesce($4, call_successful) WHERE id = $1")
        .execute(Tuple.of(callId, analysis.getString("call_summary"),
            analysis.getString("user_sentiment"), successful instanceof Boolean b ? b : null))
        .mapEmpty();
  }
}

package dev.agentphone.calls;

import dev.agentphone.contacts.ContactsApi;
import dev.agentphone.platform.Outbox;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Ends a call exactly once. In one transaction: the call row (status, end, duration, reason,
 * analysis), the turns the provider's final transcript has and we did not, the last-transcript
 * snippet, and the {@code agent.call_ended} event for the customer's webhook. The duration runs
 * from the provider's start and end, but never from before the start we stored nor past now.
 */
final class CallFinalizer {
  /** Retell's reasons for a call that never properly connected. */
  private static final Set<String> FAILED = Set.of("dial_failed", "dial_no_answer", "dial_busy",
      "error_inbound_webhook", "error_llm_websocket_open", "error_llm_websocket_lost_connection",
      "error_llm_websocket_runtime", "error_llm_websocket_corrupt_payload", "error_no_audio_received",
      "error_asr", "error_retell", "error_unknown", "error_user_not_joined", "registered_call_timeout",
      "invalid_destination", "telephony_provider_permission_denied", "telephony_provider_unavailable",
      "sip_routing_error", "marked_as_spam", "user_declined", CallReconciler.PLACEMENT_LOST);

  /** How long the end of a call waits to learn whether the other party is a contact. */
  private static final long CONTACT_WAIT_MILLIS = 2_000;

  private final Vertx vertx;
  private final Pool pool;
  private final ContactsApi contacts;

  CallFinalizer(Vertx vertx, Pool pool, ContactsApi contacts) {
    this.vertx = vertx;
    this.pool = pool;
    this.contacts = contacts;
  }

  record Result(String status, Integer durationSeconds, List<JsonObject> newTurns) {
  }

  /** Null when the call had already been finalised. */
  Future<Result> finish(String callId, JsonObject retellCall, String reason) {
    return CallStore.byId(pool, callId).compose(call -> {
      if (call == null || call.getOffsetDateTime("ended_at") != null) {
        return Future.succeededFuture(null);
      }
      String accountId = call.getString("account_id");
      String other = "inbound".equals(call.getString("direction"))
          ? call.getString("from_number") : call.getString("to_number");
      return contact(accountId, other).compose(contact ->
          pool.withTransaction(tx -> {
            String disconnection = retellCall.getString("disconnection_reason", reason);
            String status = disconnection != null && FAILED.contains(disconnection)
                ? "failed" : "completed";
            OffsetDateTime now = Times.now();
            OffsetDateTime from = latest(millis(retellCall.getValue("start_timestamp")),
                call.getOffsetDateTime("started_at"));
            if (from.isAfter(now)) {
              from = now;
            }
            OffsetDateTime ended = millis(retellCall.getValue("end_timestamp"));
            if (ended == null || ended.isAfter(now)) {
              ended = now;
            }
            ended = latest(ended, from);
            int duration = (int) Math.round(
                (ended.toInstant().toEpochMilli() - from.toInstant().toEpochMilli()) / 1000.0);
            JsonObject analysis = retellCall.getJsonObject("call_analysis", new JsonObject());
            Object successful = analysis.getValue("call_successful");
            OffsetDateTime endedAt = ended;
            return tx.preparedQuery("UPDATE calls SET status = $2, ended_at = $3, "
                    + "duration_seconds = $4, disconnection_reason = $5, "
                    + "summary = coalesce($6, summary), user_sentiment = coalesce($7, user_sentiment), "
                    + "call_successful = coalesce($8, call_successful) "
                    + "WHERE id = $1 AND ended_at IS NULL RETURNING " + CallStore.COLUMNS)
                .execute(Tuple.of(callId, status, endedAt, duration, disconnection,
                        analysis.getString("call_summary"))
                    .addValue(analysis.getString("user_sentiment"))
                    .addValue(successful instanceof Boolean b ? b : null))
                .compose(updated -> {
                  if (updated.size() == 0) {
                    return Future.succeededFuture((Result) null);
                  }
                  Row row = updated.iterator().next();
                  JsonArray providerTranscript = retellCall.getJsonArray("transcript_object");
                  List<TurnStore.Turn> reconciled = TurnStore.fromTranscript(providerTranscript)
                      .stream().filter(t -> !t.content().isBlank()).toList();
                  return TurnStore.insert(tx, callId, reconciled).compose(inserted ->
                      Future.all(TurnStore.list(tx, callId, -1),
                          CallEvents.takeovers(tx, callId)).compose(read -> {
                        JsonArray turns = read.resultAt(0);
                        JsonArray takeovers = read.resultAt(1);
                        String snippet = turns.isEmpty() ? null : TurnStore.snippet(
                            turns.getJsonObject(turns.size() - 1).getString("content"));
                        return tx.preparedQuery("UPDATE calls SET last_transcript_snippet = $2 "
                                + "WHERE id = $1")
                            .execute(Tuple.of(callId, snippet))
                            .compose(v -> Outbox.record(tx, new Outbox.Event(accountId,
                                row.getString("agent_id"), "agent.call_ended", "voice", null,
                                event(row, contact, turns, takeovers), endedAt)))
                            .map(id -> new Result(status, duration, inserted));
                      }));
                });
          }));
    });
  }

  /** As {@link #finish}, then tells live subscribers on any node what was new and the end. */
  Future<Result> finishAndAnnounce(String callId, JsonObject retellCall, String reason) {
    return finish(callId, retellCall, reason).onSuccess(result -> {
      if (result != null) {
        TurnStore.publish(vertx, callId, result.newTurns());
        TurnStore.publishEnded(vertx, callId, result.status(), result.durationSeconds());
      }
    });
  }

  private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
    return a == null || b != null && b.isAfter(a) ? b : a;
  }

  private static JsonObject event(Row row, JsonObject contact, JsonArray turns,
      JsonArray takeovers) {
    JsonArray transcript = new JsonArray();
    turns.forEach(t -> {
      JsonObject turn = (JsonObject) t;
      transcript.add(new JsonObject().put("role", turn.getString("role"))
          .put("content", turn.getString("content")));
    });
    return new JsonObject()
        .put("callId", row.getString("id"))
        .put("numberId", row.getString("phone_number_id"))
        .put("from", row.getString("from_number"))
        .put("to", row.getString("to_number"))
        .put("contact", contact)
        .put("direction", row.getString("direction"))
        .put("status", row.getString("status"))
        .put("startedAt", Times.format(row.getOffsetDateTime("started_at")))
        .put("endedAt", Times.format(row.getOffsetDateTime("ended_at")))
        .put("durationSeconds", row.getInteger("duration_seconds"))
        .put("disconnectionReason", row.getString("disconnection_reason"))
        .put("transcript", transcript)
        .put("summary", row.getString("summary"))
        .put("userSentiment", row.getString("user_sentiment"))
        .put("callSuccessful", row.getBoolean("call_successful"))
        .put("takeovers", takeovers);
  }

  /** The caller as a contact of the account, when the contacts domain knows them. */
  private Future<JsonObject> contact(String accountId, String number) {
    if (number == null) {
      return Future.succeededFuture(null);
    }
    return contacts.byNumber(accountId, number)
        .timeout(CONTACT_WAIT_MILLIS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture(null));
  }

  static OffsetDateTime millis(Object value) {
    if (value instanceof Number n && n.longValue() > 0) {
      return Instant.ofEpochMilli(n.longValue()).atOffset(ZoneOffset.UTC);
    }
    return null;
  }
}

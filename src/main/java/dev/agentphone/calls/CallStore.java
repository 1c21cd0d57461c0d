package dev.agentphone.calls;

import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** The {@code calls} table: rows as the API answers them, and the lookups the domain needs. */
final class CallStore {
  static final String COLUMNS = "id, account_id, agent_id, phone_number_id, phone_number, "
      + "retell_call_id, type, direction, from_number, to_number, status, voice_mode, "
      + "system_prompt, initial_greeting, voice, metadata, started_at, ended_at, duration_seconds, "
      + "disconnection_reason, summary, user_sentiment, call_successful, last_transcript_snippet, "
      + "variables, model_tier, call_screening_identity, call_screening_purpose, "
      + "recording_enabled, recording_available";

  /** Statuses of a call that is still going on (the concurrent-call limit counts these). */
  static final String LIVE = "'registered', 'in-progress'";

  private CallStore() {
  }

  static Future<Row> find(SqlClient client, String accountId, String callId) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM calls WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, callId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** How many of the account's calls are still going on. */
  static Future<Long> liveCount(SqlClient client, String accountId) {
    return client.preparedQuery("SELECT count(*) FROM calls WHERE account_id = $1 AND status IN ("
            + LIVE + ")")
        .execute(Tuple.of(accountId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  static Future<Row> byId(SqlClient client, String callId) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM calls WHERE id = $1")
        .execute(Tuple.of(callId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  static Future<Row> byRetellId(SqlClient client, String retellCallId) {
    return client.preparedQuery("SELECT " + COLUMNS + " FROM calls WHERE retell_call_id = $1")
        .execute(Tuple.of(retellCallId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /**
   * {@code CallSummary}, with the recording: {@code recordingUrl} is the public
   * {@code /v1/calls/{id}/recording} under {@code publicUrl} once the audio is stored.
   */
  static JsonObject summary(Row row, String publicUrl) {
    boolean recorded = row.getBoolean("recording_available");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("agentId", row.getString("agent_id"))
        .put("phoneNumberId", row.getString("phone_number_id"))
        .put("phoneNumber", row.getString("phone_number"))
        .put("fromNumber", row.getString("from_number"))
        .put("toNumber", row.getString("to_number"))
        .put("direction", row.getString("direction"))
        .put("type", row.getString("type"))
        .put("status", row.getString("status"))
        .put("startedAt", Times.format(row.getOffsetDateTime("started_at")))
        .put("endedAt", Times.format(row.getOffsetDateTime("ended_at")))
        .put("durationSeconds", row.getInteger("duration_seconds"))
        .put("lastTranscriptSnippet", row.getString("last_transcript_snippet"))
        .put("recordingAvailable", recorded)
        .put("recordingUrl", recorded ? recordingUrl(publicUrl, row.getString("id")) : null);
  }

  static String recordingUrl(String publicUrl, String callId) {
    String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1)
        : publicUrl;
    return base + "/v1/calls/" + callId + "/recording";
  }

  /** A call with everything known about it (transcript added by the caller). */
  static JsonObject detail(Row row, String publicUrl) {
    return summary(row, publicUrl)
        .put("disconnectionReason", row.getString("disconnection_reason"))
        .put("summary", row.getString("summary"))
        .put("userSentiment", row.getString("user_sentiment"))
        .put("callSuccessful", row.getBoolean("call_successful"))
        .put("variables", row.getJsonObject("variables"))
        .put("modelTier", row.getString("model_tier"))
        .put("callScreeningIdentity", row.getString("call_screening_identity"))
        .put("callScreeningPurpose", row.getString("call_screening_purpose"));
  }

  static boolean live(String status) {
    return "registered".equals(status) || "in-progress".equals(status);
  }
}

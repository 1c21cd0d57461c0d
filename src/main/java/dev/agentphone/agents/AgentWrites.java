package dev.agentphone.agents;

import dev.agentphone.platform.Ids;
import dev.agentphone.platform.SqlText;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The agents table, and the agents domain's transactional API: {@link #insert} joins the
 * caller's transaction (signup creates the starter agent with the account). The rest is the
 * domain's own: the columns, the contract's defaults and the answer shape.
 */
public final class AgentWrites {
  static final List<String> VOICE_MODES = List.of("webhook", "hosted");
  static final List<String> MODEL_TIERS = List.of("turbo", "balanced", "max");
  static final List<String> STT_MODES = List.of("fast", "accurate");

  static final String COLUMNS = "id, name, description, voice_mode, model_tier, system_prompt, "
      + "begin_message, voice, transfer_number, voicemail_message, stt_mode, "
      + VoiceSettings.COLUMNS + ", created_at";

  /** Writable fields: API (camelCase) name → column. */
  static final List<SqlText.Column> FIELDS = Stream.concat(Stream.of(
      new SqlText.Column("name", "name"),
      new SqlText.Column("description", "description"),
      new SqlText.Column("voiceMode", "voice_mode"),
      new SqlText.Column("modelTier", "model_tier"),
      new SqlText.Column("systemPrompt", "system_prompt"),
      new SqlText.Column("beginMessage", "begin_message"),
      new SqlText.Column("voice", "voice"),
      new SqlText.Column("transferNumber", "transfer_number"),
      new SqlText.Column("voicemailMessage", "voicemail_message"),
      new SqlText.Column("sttMode", "stt_mode")), VoiceSettings.FIELDS.stream()).toList();

  private static final String INSERT = "INSERT INTO agents (id, account_id, "
      + FIELDS.stream().map(SqlText.Column::column).collect(Collectors.joining(", "))
      + ") VALUES (" + IntStream.rangeClosed(1, FIELDS.size() + 2)
          .mapToObj(i -> "$" + i).collect(Collectors.joining(", "))
      + ") RETURNING " + COLUMNS;

  private final String defaultVoice;

  /** {@code defaultVoice}: the voice of an agent created without one ({@code voice.defaultVoice}). */
  public AgentWrites(String defaultVoice) {
    this.defaultVoice = defaultVoice;
  }

  /**
   * Inserts an agent from API fields in {@code tx}, applying the contract's defaults; answers the
   * stored row as an {@code AgentResponse} with an empty number list. It is not provisioned at
   * the voice provider: that happens when it is first needed.
   */
  public Future<JsonObject> insert(SqlClient tx, String accountId, JsonObject fields) {
    return insertDraft(tx, accountId, draft(fields));
  }

  /**
   * The agent API fields describe, with its id and the contract's defaults, in the
   * {@code AgentResponse} shape (no {@code createdAt} yet): what its voice provider is told
   * before the row exists.
   */
  JsonObject draft(JsonObject fields) {
    JsonObject draft = new JsonObject()
        .put("id", Ids.next("agt"))
        .put("name", fields.getString("name"))
        .put("description", fields.getString("description"))
        .put("voiceMode", orDefault(fields.getString("voiceMode"), "webhook"))
        .put("modelTier", orDefault(fields.getString("modelTier"), "balanced"))
        .put("systemPrompt", fields.getString("systemPrompt"))
        .put("beginMessage", fields.getString("beginMessage"))
        .put("voice", orDefault(fields.getString("voice"), defaultVoice))
        .put("transferNumber", fields.getString("transferNumber"))
        .put("voicemailMessage", fields.getString("voicemailMessage"))
        .put("sttMode", orDefault(fields.getString("sttMode"), "fast"));
    VoiceSettings.draft(fields, draft);
    return draft;
  }

  /** Inserts a {@link #draft}; answers the stored row as an {@code AgentResponse}. */
  static Future<JsonObject> insertDraft(SqlClient tx, String accountId, JsonObject draft) {
    Tuple values = Tuple.of(draft.getString("id"), accountId);
    for (SqlText.Column field : FIELDS) {
      values.addValue(draft.getValue(field.field()));
    }
    return tx.preparedQuery(INSERT).execute(values)
        .map(rows -> toJson(rows.iterator().next(), new JsonArray()));
  }

  static JsonObject toJson(Row row, JsonArray numbers) {
    JsonObject agent = new JsonObject()
        .put("id", row.getString("id"))
        .put("name", row.getString("name"))
        .put("description", row.getString("description"))
        .put("voiceMode", row.getString("voice_mode"))
        .put("modelTier", row.getString("model_tier"))
        .put("systemPrompt", row.getString("system_prompt"))
        .put("beginMessage", row.getString("begin_message"))
        .put("voice", row.getString("voice"))
        .put("transferNumber", row.getString("transfer_number"))
        .put("voicemailMessage", row.getString("voicemail_message"))
        .put("sttMode", row.getString("stt_mode"));
    VoiceSettings.show(row, agent);
    return agent.put("createdAt", Times.format(row.getOffsetDateTime("created_at")))
        .put("numbers", numbers);
  }

  private static String orDefault(String value, String fallback) {
    return value != null ? value : fallback;
  }
}

package dev.agentphone.agents;

import dev.agentphone.http.Validator;
import dev.agentphone.platform.SqlText;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * An agent's voice settings, as the official client sends them: their bounds and enums (from its
 * type definitions), their defaults (from the provider's API definition) and their columns. A
 * column left NULL was never set (or was reset with a null): the answer shows the default.
 */
final class VoiceSettings {
  static final List<String> AMBIENT_SOUNDS = List.of("none", "office", "coffee-shop", "outdoor");
  static final List<String> DENOISING_MODES = List.of("noise-cancellation",
      "noise-and-background-speech-cancellation");
  /** The client's {@code Language} enum, verbatim. */
  static final List<String> LANGUAGES = List.of("af-ZA", "ar-SA", "az-AZ", "bg-BG", "bs-BA",
      "ca-ES", "cs-CZ", "cy-GB", "da-DK", "de-DE", "el-GR", "en-AU", "en-GB", "en-IN", "en-NZ",
      "en-US", "es-419", "es-ES", "fa-IR", "fi-FI", "fil-PH", "fr-CA", "fr-FR", "gl-ES", "he-IL",
      "hi-IN", "hr-HR", "hu-HU", "hy-AM", "id-ID", "is-IS", "it-IT", "ja-JP", "kk-KZ", "kn-IN",
      "ko-KR", "lt-LT", "lv-LV", "mk-MK", "mr-IN", "ms-MY", "ne-NP", "nl-BE", "nl-NL", "no-NO",
      "pl-PL", "pt-BR", "pt-PT", "ro-RO", "ru-RU", "sk-SK", "sl-SI", "sr-RS", "sv-SE", "sw-KE",
      "ta-IN", "th-TH", "tr-TR", "uk-UA", "ur-IN", "vi-VN", "yue-CN", "zh-CN");
  static final int MIN_SILENCE_MS = 10_000;
  static final int MAX_SILENCE_MS = 3_600_000;

  /** What an agent that never set a field reads back. */
  static final Map<String, Object> DEFAULTS = Map.of(
      "enableMessaging", true,
      "ambientSound", "none",
      "denoisingMode", "noise-cancellation",
      "maxSilenceMs", 600_000,
      "voiceSpeed", 1.0,
      "interruptionSensitivity", 0.8,
      "enableBackchannel", true,
      "language", "en-US");

  /** API field → column, in the order the answer lists them. */
  static final List<SqlText.Column> FIELDS = List.of(
      new SqlText.Column("enableMessaging", "enable_messaging"),
      new SqlText.Column("customTools", "custom_tools"),
      new SqlText.Column("callScreeningIdentity", "call_screening_identity"),
      new SqlText.Column("callScreeningPurpose", "call_screening_purpose"),
      new SqlText.Column("ambientSound", "ambient_sound"),
      new SqlText.Column("denoisingMode", "denoising_mode"),
      new SqlText.Column("maxSilenceMs", "max_silence_ms"),
      new SqlText.Column("voiceSpeed", "voice_speed"),
      new SqlText.Column("interruptionSensitivity", "interruption_sensitivity"),
      new SqlText.Column("enableBackchannel", "enable_backchannel"),
      new SqlText.Column("language", "language"));

  /** The columns, for a SELECT list. */
  static final String COLUMNS = String.join(", ",
      FIELDS.stream().map(SqlText.Column::column).toList());

  private VoiceSettings() {
  }

  /**
   * Reads the voice settings present in {@code body} into {@code out} (a null stays a null: on
   * create it means the default, on PATCH it resets to the default or clears the tools).
   */
  static void read(Validator body, JsonObject out, CustomTools tools) {
    put(body, out, "enableMessaging", bool(body, "enableMessaging"));
    put(body, out, "customTools", tools.read(body));
    put(body, out, "callScreeningIdentity", body.optionalString("callScreeningIdentity"));
    put(body, out, "callScreeningPurpose", body.optionalString("callScreeningPurpose"));
    put(body, out, "ambientSound", body.optionalEnum("ambientSound", AMBIENT_SOUNDS));
    put(body, out, "denoisingMode", body.optionalEnum("denoisingMode", DENOISING_MODES));
    put(body, out, "maxSilenceMs",
        body.optionalIntBetween("maxSilenceMs", MIN_SILENCE_MS, MAX_SILENCE_MS));
    put(body, out, "voiceSpeed", number(body, "voiceSpeed", 0.5, 2.0));
    put(body, out, "interruptionSensitivity", number(body, "interruptionSensitivity", 0.0, 1.0));
    put(body, out, "enableBackchannel", bool(body, "enableBackchannel"));
    put(body, out, "language", body.optionalEnum("language", LANGUAGES));
  }

  /** {@code agent} with every unset setting shown as its default (changed in place). */
  static JsonObject withDefaults(JsonObject agent) {
    DEFAULTS.forEach((field, fallback) -> {
      if (agent.getValue(field) == null) {
        agent.put(field, fallback);
      }
    });
    return agent;
  }

  /** The settings of a stored agent row, defaults shown, into {@code agent}. */
  static void show(Row row, JsonObject agent) {
    agent.put("enableMessaging", row.getBoolean("enable_messaging"))
        .put("customTools", CustomTools.canonical(row.getValue("custom_tools")))
        .put("callScreeningIdentity", row.getString("call_screening_identity"))
        .put("callScreeningPurpose", row.getString("call_screening_purpose"))
        .put("ambientSound", row.getString("ambient_sound"))
        .put("denoisingMode", row.getString("denoising_mode"))
        .put("maxSilenceMs", row.getInteger("max_silence_ms"))
        .put("voiceSpeed", row.getDouble("voice_speed"))
        .put("interruptionSensitivity", row.getDouble("interruption_sensitivity"))
        .put("enableBackchannel", row.getBoolean("enable_backchannel"))
        .put("language", row.getString("language"));
    withDefaults(agent);
  }

  /** What a draft agent holds for the settings in {@code fields}, defaults applied. */
  static void draft(JsonObject fields, JsonObject draft) {
    for (SqlText.Column field : FIELDS) {
      draft.put(field.field(), fields.getValue(field.field()));
    }
    withDefaults(draft);
  }

  private static void put(Validator body, JsonObject out, String field, Object value) {
    if (body.present(field)) {
      out.put(field, value);
    }
  }

  private static Boolean bool(Validator body, String field) {
    Object value = body.raw().getValue(field);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    body.reject(field, "bool_type", "Input should be a valid boolean");
    return null;
  }

  /** A JSON number within inclusive bounds, stored as a double. */
  private static Double number(Validator body, String field, double min, double max) {
    Object value = body.raw().getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      body.reject(field, "float_type", "Input should be a valid number");
      return null;
    }
    double d = n.doubleValue();
    if (d < min) {
      body.reject(field, "greater_than_equal", "Input should be greater than or equal to "
          + plain(min));
      return null;
    }
    if (d > max) {
      body.reject(field, "less_than_equal", "Input should be less than or equal to "
          + plain(max));
      return null;
    }
    return d;
  }

  private static String plain(double bound) {
    return BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
  }

  /** The settings' field names: each may be sent as null on PATCH. */
  static List<String> names() {
    return FIELDS.stream().map(SqlText.Column::field).toList();
  }
}

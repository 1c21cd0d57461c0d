package dev.agentphone.lab;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * How a webhook the runner serves answers voice turns ({@code agent.message} on the voice
 * channel), as a scenario's inline agent describes it: {@code reply} (default "You said: " and
 * the caller's words; {@code {transcript}} is replaced by them), {@code delay} before answering,
 * {@code status} (an error status answers {@code {"detail": "…"}}), {@code body} sent as it is
 * (not JSON, say), {@code ndjson} lines streamed {@code chunkDelay} apart (all but the last
 * interim), {@code hangup}, {@code digits}. Other events are answered 200 at once.
 * {@code timeout} is the engine's webhook timeout in seconds (5–120), set with the webhook.
 */
record WebhookBehaviour(String reply, long delayMs, int status, String body, String contentType,
    List<String> ndjson, long chunkDelayMs, boolean hangup, String digits, Integer timeout) {
  static final Set<String> FIELDS = Set.of("reply", "delay", "status", "body", "contentType",
      "ndjson", "chunkDelay", "hangup", "digits", "timeout");

  static WebhookBehaviour of(JsonObject spec) {
    for (String field : spec.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new ScenarioException("webhook: unknown field `" + field + "` (known: "
            + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
      }
    }
    JsonArray lines = spec.getValue("ndjson") instanceof JsonArray a ? a : null;
    Object timeout = spec.getValue("timeout");
    return new WebhookBehaviour(spec.getString("reply", "You said: {transcript}"),
        spec.containsKey("delay") ? Durations.millis(spec.getValue("delay"), "webhook.delay") : 0,
        spec.getInteger("status", 200),
        spec.getValue("body") == null ? null : spec.getValue("body").toString(),
        spec.getString("contentType"),
        lines == null ? null : lines.stream().map(String::valueOf).toList(),
        spec.containsKey("chunkDelay")
            ? Durations.millis(spec.getValue("chunkDelay"), "webhook.chunkDelay") : 200,
        spec.getBoolean("hangup", false), spec.getString("digits"),
        timeout == null ? null : (int) (Durations.millis(timeout, "webhook.timeout")
            / (timeout instanceof Number ? 1 : 1000)));
  }

  /** The answer to one voice turn, whose caller said {@code transcript}. */
  String answer(String transcript) {
    JsonObject answer = new JsonObject()
        .put("text", reply.replace("{transcript}", transcript == null ? "" : transcript));
    if (hangup) {
      answer.put("hangup", true);
    }
    if (digits != null) {
      answer.put("digits", digits);
    }
    return answer.encode();
  }
}

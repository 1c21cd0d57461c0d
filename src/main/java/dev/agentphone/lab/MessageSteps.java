package dev.agentphone.lab;

import io.vertx.core.json.JsonObject;

/**
 * The texting steps: {@code sms} (someone texts the account's number: a signed Twilio webhook
 * from the sandbox's phone), {@code send} (the agent texts someone through {@code POST
 * /v1/messages}) and {@code carrier} (the carrier's status callback for the message just sent,
 * with Twilio's error code, such as 30003 or 30007).
 */
final class MessageSteps {
  private MessageSteps() {
  }

  static String sms(RunContext run, JsonObject arg) {
    JsonObject answer = run.http().post("/sandbox/sms", new JsonObject()
            .put("from", arg.getString("from", CallSteps.DEFAULT_CALLER))
            .put("to", run.account().phoneNumber())
            .put("body", arg.getString("body", "")))
        .required();
    return "stored as " + answer.getJsonObject("message", new JsonObject()).getString("id");
  }

  static String send(RunContext run, CallState state, JsonObject arg) {
    JsonObject sent = run.http().post("/v1/messages", new JsonObject()
            .put("agent_id", run.agentId())
            .put("to_number", arg.getString("to", CallSteps.DEFAULT_CALLER))
            .put("body", arg.getString("body", "")))
        .required();
    state.lastMessageId = sent.getString("id");
    state.lastDelivery = new JsonObject().put("status", sent.getString("status"));
    return sent.getString("id") + " " + sent.getString("status");
  }

  static String carrier(RunContext run, CallState state, JsonObject arg) {
    if (state.lastMessageId == null) {
      throw new ScenarioException("carrier: no message sent yet (send one with a `send` step)");
    }
    JsonObject report = new JsonObject().put("messageId", state.lastMessageId)
        .put("status", arg.getString("status"));
    if (arg.getValue("errorCode") != null) {
      report.put("errorCode", arg.getValue("errorCode").toString());
    }
    JsonObject answer = run.http().post("/sandbox/sms/status", report).required();
    state.lastDelivery = answer.getJsonObject("delivery");
    return "status callback answered " + answer.getInteger("callbackStatus") + "; message "
        + state.lastDelivery.getString("status")
        + (state.lastDelivery.getString("errorCode") == null ? ""
            : " (" + state.lastDelivery.getString("errorCode") + ")");
  }
}

package dev.agentphone.lab;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account a scenario runs in: its key, its number, and the agent that number answers with
 * (the starter agent of a new account). On the runner's own engine every scenario signs up a
 * new account through the public flow, so scenarios cannot see each other's calls or events.
 */
record LabAccount(LabHttp http, String numberId, String phoneNumber, String starterAgentId) {
  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

  /** Signs up (sign-up, code from the sandbox outbox, verify). */
  static LabAccount signUp(LabHttp anonymous, String email) {
    JsonObject started = anonymous.post("/v0/agent/sign-up", new JsonObject()
        .put("human_email", email).put("agent_name", "Lab agent")).required();
    JsonArray mails = anonymous.get("/sandbox/emails?to=" + email).required().getJsonArray("data");
    Matcher code = mails == null || mails.isEmpty() ? null
        : CODE.matcher(mails.getJsonObject(0).getString("text", ""));
    if (code == null || !code.find()) {
      throw new ScenarioException("sign-up: no verification code in the sandbox outbox");
    }
    JsonObject verified = anonymous.post("/v0/agent/verify", new JsonObject()
        .put("verification_id", started.getString("verification_id"))
        .put("otp_code", code.group(1))).required();
    return new LabAccount(anonymous.withKey(verified.getString("api_key")),
        verified.getString("number_id"), verified.getString("phone_number"),
        verified.getString("agent_id"));
  }

  /** The account of an existing key: its first number and that number's agent. */
  static LabAccount ofKey(LabHttp http) {
    JsonArray numbers = http.get("/v1/numbers?limit=1").required().getJsonArray("data");
    if (numbers == null || numbers.isEmpty()) {
      throw new ScenarioException("the key's account has no phone number");
    }
    JsonObject number = numbers.getJsonObject(0);
    String agentId = number.getString("agentId");
    if (agentId == null) {
      JsonArray agents = http.get("/v1/agents").required().getJsonArray("data");
      if (agents == null || agents.isEmpty()) {
        throw new ScenarioException("the key's account has no agent");
      }
      agentId = agents.getJsonObject(agents.size() - 1).getString("id");
    }
    return new LabAccount(http, number.getString("id"), number.getString("phoneNumber"), agentId);
  }
}

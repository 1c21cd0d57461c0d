package dev.agentphone.messaging;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InboundSmsTest {
  static final String TOKEN = "sandbox-twilio-auth-token";
  static final String PATH = "/webhooks/twilio/sms";
  static TestEngine server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject account() {
    return server.signUp("inbound-" + System.nanoTime() + "@example.com");
  }

  private static String sid() {
    return "SM" + System.nanoTime();
  }

  private static long count(String sql, Object... params) {
    return (Long) server.sql(sql, params).get(0).get("n");
  }

  private static List<JsonObject> events(String accountId, String type) {
    return server.sql("SELECT agent_id, channel, conversation_id, data::text AS data FROM events "
            + "WHERE account_id = ? AND type = ? ORDER BY occurred_at", accountId, type).stream()
        .map(row -> new JsonObject().put("agentId", row.get("agent_id"))
            .put("channel", row.get("channel")).put("conversationId", row.get("conversation_id"))
            .put("data", new JsonObject((String) row.get("data"))))
        .toList();
  }

  @Test
  void aSignedSmsIsStoredWithItsEvent() {
    JsonObject account = account();
    String sid = sid();
    Api.Response answer = TwilioForms.post(api, PATH, TwilioForms.sms(sid, "+12125550101",
        account.getString("phone_number"), "Hello there"), TOKEN);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("content-type")).startsWith("text/xml");
    assertThat(answer.body()).contains("<Response/>");

    Map<String, Object> message = server.sql("SELECT id, conversation_id, direction, channel, "
        + "from_number, to_number, body FROM messages WHERE provider_sid = ?", sid).get(0);
    assertThat(message.get("direction")).isEqualTo("inbound");
    assertThat(message.get("channel")).isEqualTo("sms");
    assertThat(message.get("body")).isEqualTo("Hello there");

    List<JsonObject> events = events(account.getString("account_id"), "agent.message");
    assertThat(events).hasSize(1);
    JsonObject event = events.get(0);
    assertThat(event.getString("agentId")).isEqualTo(account.getString("agent_id"));
    assertThat(event.getString("channel")).isEqualTo("sms");
    assertThat(event.getString("conversationId")).isEqualTo(message.get("conversation_id"));
    JsonObject data = event.getJsonObject("data");
    assertThat(data.fieldNames()).containsExactlyInAnyOrder("messageId", "conversationId",
        "numberId", "from", "to", "contact", "message", "mediaUrl", "mediaUrls", "direction",
        "receivedAt");
    assertThat(data.getString("messageId")).isEqualTo(message.get("id"));
    assertThat(data.getString("numberId")).isEqualTo(account.getString("number_id"));
    assertThat(data.getString("from")).isEqualTo("+12125550101");
    assertThat(data.getString("to")).isEqualTo(account.getString("phone_number"));
    assertThat(data.getValue("contact")).isNull();
    assertThat(data.getString("message")).isEqualTo("Hello there");
    assertThat(data.getValue("mediaUrl")).isNull();
    assertThat(data.getJsonArray("mediaUrls")).isEmpty();
    assertThat(data.getString("direction")).isEqualTo("inbound");
    assertThat(data.getString("receivedAt")).isNotBlank();
  }

  @Test
  void wrongOrMissingSignaturesAre403AndStoreNothing() {
    JsonObject account = account();
    Map<String, String> form = TwilioForms.sms(sid(), "+12125550102",
        account.getString("phone_number"), "forged");
    Api.Response missing = TwilioForms.postUnsigned(api, PATH, form);
    assertThat(missing.status()).isEqualTo(403);
    assertThat(missing.json().getString("detail")).contains("Missing");
    assertThat(TwilioForms.post(api, PATH, form, "not-the-token").status()).isEqualTo(403);
    Api.Response garbage = TwilioForms.postUnsigned(api, PATH, form, "X-Twilio-Signature", "abc=");
    assertThat(garbage.status()).isEqualTo(403);
    assertThat(garbage.json().getString("detail")).contains("Invalid");
    // a signature over different parameters does not carry over
    Map<String, String> tampered = new java.util.HashMap<>(form);
    String signature = dev.agentphone.providers.twilio.TwilioSignatures.sign(TOKEN,
        api.base() + PATH, form);
    tampered.put("Body", "tampered");
    assertThat(TwilioForms.postUnsigned(api, PATH, tampered, "X-Twilio-Signature", signature)
        .status()).isEqualTo(403);
    assertThat(count("SELECT count(*) AS n FROM messages WHERE account_id = ?",
        account.getString("account_id"))).isZero();
    assertThat(count("SELECT count(*) AS n FROM events WHERE account_id = ?",
        account.getString("account_id"))).isZero();
  }

  @Test
  void aResentMessageSidIsStoredOnce() {
    JsonObject account = account();
    Map<String, String> form = TwilioForms.sms(sid(), "+12125550103",
        account.getString("phone_number"), "once");
    assertThat(TwilioForms.post(api, PATH, form, TOKEN).status()).isEqualTo(200);
    assertThat(TwilioForms.post(api, PATH, form, TOKEN).status()).isEqualTo(200);
    assertThat(count("SELECT count(*) AS n FROM messages WHERE account_id = ?",
        account.getString("account_id"))).isEqualTo(1);
    assertThat(events(account.getString("account_id"), "agent.message")).hasSize(1);
    assertThat(api.get("/v1/conversations", account.getString("api_key")).json()
        .getJsonArray("data").getJsonObject(0).getInteger("messageCount")).isEqualTo(1);
  }

  @Test
  void mmsKeepsEveryMediaUrl() {
    JsonObject account = account();
    String sid = sid();
    assertThat(TwilioForms.post(api, PATH, TwilioForms.sms(sid, "+12125550104",
        account.getString("phone_number"), "", "https://media.example.com/a.jpg",
        "https://media.example.com/b.png"), TOKEN).status()).isEqualTo(200);
    JsonObject data = events(account.getString("account_id"), "agent.message").get(0)
        .getJsonObject("data");
    assertThat(data.getString("mediaUrl")).isEqualTo("https://media.example.com/a.jpg");
    assertThat(data.getJsonArray("mediaUrls")).containsExactly("https://media.example.com/a.jpg",
        "https://media.example.com/b.png");
    assertThat(events(account.getString("account_id"), "agent.message").get(0)
        .getString("channel")).isEqualTo("mms");
    JsonObject conversation = api.get("/v1/conversations", account.getString("api_key")).json()
        .getJsonArray("data").getJsonObject(0);
    assertThat(conversation.getString("lastMessagePreview")).isEqualTo("[media]");
    JsonObject message = api.get("/v1/conversations/" + conversation.getString("id"),
        account.getString("api_key")).json().getJsonArray("messages").getJsonObject(0);
    assertThat(message.getString("channel")).isEqualTo("mms");
    assertThat(message.getString("mediaUrl")).isEqualTo("https://media.example.com/a.jpg");
    assertThat(message.getJsonArray("mediaUrls")).hasSize(2);
  }

  @Test
  void messagesThreadByParticipantInOrder() {
    JsonObject account = account();
    String key = account.getString("api_key");
    String ours = account.getString("phone_number");
    TwilioForms.post(api, PATH, TwilioForms.sms(sid(), "+12125550105", ours, "a1"), TOKEN);
    TwilioForms.post(api, PATH, TwilioForms.sms(sid(), "+12125550106", ours, "b1"), TOKEN);
    TwilioForms.post(api, PATH, TwilioForms.sms(sid(), "+12125550105", ours, "a2"), TOKEN);
    TwilioForms.post(api, PATH, TwilioForms.sms(sid(), "+12125550105", ours, "a3"), TOKEN);
    JsonArray conversations = api.get("/v1/conversations", key).json().getJsonArray("data");
    assertThat(conversations).hasSize(2);
    JsonObject a = conversations.getJsonObject(0);
    assertThat(a.getString("participant")).isEqualTo("+12125550105");
    assertThat(a.getInteger("messageCount")).isEqualTo(3);
    assertThat(a.getString("lastMessagePreview")).isEqualTo("a3");
    assertThat(conversations.getJsonObject(1).getString("participant")).isEqualTo("+12125550106");
    JsonArray messages = api.get("/v1/conversations/" + a.getString("id") + "/messages", key)
        .json().getJsonArray("data");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("body")))
        .containsExactly("a3", "a2", "a1");
  }

  @Test
  void aMatchingContactIsLinked() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject contact = api.post("/v1/contacts", key, new JsonObject()
        .put("phoneNumber", "(212) 555-0107").put("name", "Ada").put("email", "ada@example.com"))
        .json();
    TwilioForms.post(api, PATH, TwilioForms.sms(sid(), "+12125550107",
        account.getString("phone_number"), "it's Ada"), TOKEN);
    JsonObject linked = events(account.getString("account_id"), "agent.message").get(0)
        .getJsonObject("data").getJsonObject("contact");
    assertThat(linked).isEqualTo(new JsonObject().put("id", contact.getString("id"))
        .put("name", "Ada").put("email", "ada@example.com").put("phoneNumber", "+12125550107"));
  }

  @Test
  void aNumberWithoutAgentStillRecordsTheEvent() {
    JsonObject account = account();
    String key = account.getString("api_key");
    api.delete("/v1/agents/" + account.getString("agent_id") + "/numbers/"
        + account.getString("number_id"), key);
    TwilioForms.post(api, PATH, TwilioForms.sms(sid(), "+12125550108",
        account.getString("phone_number"), "anyone?"), TOKEN);
    List<JsonObject> events = events(account.getString("account_id"), "agent.message");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getValue("agentId")).isNull();
  }

  @Test
  void aMessageToNoActiveNumberIs404() {
    Api.Response unknown = TwilioForms.post(api, PATH, TwilioForms.sms(sid(), "+12125550109",
        "+19995550100", "hello?"), TOKEN);
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void theSimulatorPostsASignedSmsToOurWebhook() {
    JsonObject account = account();
    String key = account.getString("api_key");
    Api.Response simulated = api.post("/sandbox/sms", key, new JsonObject()
        .put("from", "+1 (212) 555-0110").put("to", account.getString("phone_number"))
        .put("body", "Hi from the simulator")
        .put("mediaUrls", new JsonArray().add("https://media.example.com/c.gif")));
    assertThat(simulated.status()).as(simulated.body()).isEqualTo(200);
    JsonObject message = simulated.json().getJsonObject("message");
    assertThat(simulated.json().getString("messageSid")).startsWith("SM");
    assertThat(message.getString("body")).isEqualTo("Hi from the simulator");
    assertThat(message.getString("fromNumber")).isEqualTo("+12125550110");
    assertThat(message.getString("channel")).isEqualTo("mms");
    assertThat(message.getString("conversationId")).startsWith("conv_");
    assertThat(events(account.getString("account_id"), "agent.message")).hasSize(1);

    // the simulator is scoped to the caller's key and numbers
    assertThat(api.post("/sandbox/sms", null, new JsonObject().put("from", "+12125550110")
        .put("to", account.getString("phone_number")).put("body", "x")).status()).isEqualTo(401);
    String other = server.newKey();
    assertThat(api.post("/sandbox/sms", other, new JsonObject().put("from", "+12125550110")
        .put("to", account.getString("phone_number")).put("body", "x")).status()).isEqualTo(404);
    assertThat(api.post("/sandbox/sms", key, new JsonObject().put("from", "nope")
        .put("to", account.getString("phone_number")).put("body", "x")).status()).isEqualTo(422);
  }
}

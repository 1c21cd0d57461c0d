package dev.agentphone.messaging;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SendAndReactTest {
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
    return server.signUp("send-" + System.nanoTime() + "@example.com");
  }

  private static Api.Response send(JsonObject account, JsonObject extra) {
    JsonObject body = new JsonObject().put("agent_id", account.getString("agent_id"))
        .put("to_number", "+12125550123").put("body", "Hello");
    return api.post("/v1/messages", account.getString("api_key"), body.mergeIn(extra));
  }

  @Test
  void sendsFromTheAgentsFirstNumberByDefault() {
    JsonObject account = account();
    String key = account.getString("api_key");
    api.post("/v1/numbers", key, new JsonObject().put("agentId", account.getString("agent_id")));
    Api.Response sent = send(account, new JsonObject());
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    JsonObject answer = sent.json();
    assertThat(answer.fieldNames()).containsExactlyInAnyOrder("id", "status", "channel",
        "from_number", "to_number", "conversation_id", "media_urls", "reply_to_message_id",
        "reply_parent_unresolved");
    assertThat(answer.getJsonArray("media_urls")).isEmpty();
    assertThat(answer.getValue("reply_to_message_id")).isNull();
    assertThat(answer.getValue("reply_parent_unresolved")).isNull();
    assertThat(answer.getString("id")).startsWith("msg_");
    assertThat(answer.getString("status")).isEqualTo("sent");
    assertThat(answer.getString("channel")).isEqualTo("sms");
    assertThat(answer.getString("from_number")).isEqualTo(account.getString("phone_number"));
    assertThat(answer.getString("to_number")).isEqualTo("+12125550123");

    JsonArray outbox = api.get("/sandbox/sms", key).json().getJsonArray("data");
    assertThat(outbox).hasSize(1);
    assertThat(api.get("/sandbox/sms", server.newKey()).json().getJsonArray("data")).isEmpty();
    assertThat(api.get("/sandbox/sms", null).status()).isEqualTo(401);
    assertThat(outbox.getJsonObject(0).getString("to")).isEqualTo("+12125550123");
    assertThat(outbox.getJsonObject(0).getString("body")).isEqualTo("Hello");
    JsonObject conversation = api.get("/v1/conversations", key).json().getJsonArray("data")
        .getJsonObject(0);
    assertThat(conversation.getString("participant")).isEqualTo("+12125550123");
    assertThat(conversation.getString("id")).isEqualTo(answer.getString("conversation_id"));
    assertThat(conversation.getBoolean("isGroup")).isFalse();
    assertThat(conversation.getValue("groupId")).isNull();
    assertThat(conversation.getValue("participants")).isNull();
    assertThat(conversation.getString("lastMessagePreview")).isEqualTo("Hello");
    // outbound messages do not notify the agent of its own words
    assertThat(server.sql("SELECT count(*) AS n FROM events WHERE account_id = ?",
        account.getString("account_id")).get(0).get("n")).isEqualTo(0L);
  }

  @Test
  void sendsFromAnExplicitNumber() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject second = api.post("/v1/numbers", key,
        new JsonObject().put("agentId", account.getString("agent_id"))).json();
    Api.Response sent = send(account, new JsonObject().put("number_id", second.getString("id")));
    assertThat(sent.status()).isEqualTo(200);
    assertThat(sent.json().getString("from_number")).isEqualTo(second.getString("phoneNumber"));
    JsonArray messages = api.get("/v1/numbers/" + second.getString("id") + "/messages", key)
        .json().getJsonArray("data");
    assertThat(messages).hasSize(1);
    assertThat(messages.getJsonObject(0).getString("from_")).isEqualTo(second.getString("phoneNumber"));
    assertThat(messages.getJsonObject(0).getString("direction")).isEqualTo("outbound");
  }

  @Test
  void aNumberNotOnTheAgentIsRefused() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject loose = api.post("/v1/numbers", key, new JsonObject()).json();
    assertThat(send(account, new JsonObject().put("number_id", loose.getString("id"))).status())
        .isEqualTo(404);
    JsonObject other = account();
    assertThat(send(account, new JsonObject().put("number_id", other.getString("number_id")))
        .status()).isEqualTo(404);
  }

  @Test
  void anAgentWithoutNumbersGetsAClear400() {
    JsonObject account = account();
    String key = account.getString("api_key");
    String bare = api.post("/v1/agents", key, new JsonObject().put("name", "Bare")).json()
        .getString("id");
    Api.Response refused = send(account, new JsonObject().put("agent_id", bare));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("no phone number");
  }

  @Test
  void destinationsAreNormalisedToE164() {
    JsonObject account = account();
    for (Map.Entry<String, String> c : Map.of("(212) 555-0142", "+12125550142",
        "212 555 0143", "+12125550143", "+1 212-555-0144", "+12125550144",
        "+44 20 7183 8750", "+442071838750").entrySet()) {
      Api.Response sent = send(account, new JsonObject().put("to_number", c.getKey()));
      assertThat(sent.status()).as(c.getKey()).isEqualTo(200);
      assertThat(sent.json().getString("to_number")).as(c.getKey()).isEqualTo(c.getValue());
    }
    for (String invalid : new String[] {"12345", "not a number", "+1 555 555 0100"}) {
      Api.Response refused = send(account, new JsonObject().put("to_number", invalid));
      assertThat(refused.status()).as(invalid).isEqualTo(422);
      JsonObject error = refused.json().getJsonArray("detail").getJsonObject(0);
      assertThat(error.getJsonArray("loc")).containsExactly("body", "to_number");
      assertThat(error.getString("msg")).contains("not a valid phone number");
    }
    assertThat(server.sql("SELECT count(*) AS n FROM messages WHERE account_id = ?",
        account.getString("account_id")).get(0).get("n")).isEqualTo(4L);
  }

  @Test
  void badBodiesAre422AndOtherAccountsAgentsAre404() {
    JsonObject account = account();
    Api.Response missing = api.post("/v1/messages", account.getString("api_key"),
        new JsonObject().put("body", "x"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.json().getJsonArray("detail")).hasSize(2);
    JsonObject other = account();
    assertThat(send(account, new JsonObject().put("agent_id", other.getString("agent_id")))
        .status()).isEqualTo(404);
  }

  @Test
  void reactionsWorkOnIMessageOnly() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject imessage = api.post("/v1/numbers", key, new JsonObject()
        .put("type", "imessage").put("agentId", account.getString("agent_id"))).json();
    assertThat(imessage.getString("type")).isEqualTo("imessage");

    Api.Response received = api.post("/sandbox/imessage", key, new JsonObject()
        .put("from", "+12125550150").put("to", imessage.getString("phoneNumber"))
        .put("body", "Dinner at 8?"));
    assertThat(received.status()).as(received.body()).isEqualTo(200);
    String inboundId = received.json().getString("messageId");
    Api.Response reacted = api.post("/v1/messages/" + inboundId + "/reactions", key,
        new JsonObject().put("reaction", "love"));
    assertThat(reacted.status()).as(reacted.body()).isEqualTo(200);
    assertThat(reacted.json().getString("id")).startsWith("rxn_");
    assertThat(reacted.json().getString("reaction_type")).isEqualTo("love");
    assertThat(reacted.json().getString("message_id")).isEqualTo(inboundId);
    assertThat(reacted.json().getString("channel")).isEqualTo("imessage");

    Api.Response sentImessage = send(account, new JsonObject()
        .put("number_id", imessage.getString("id")));
    assertThat(sentImessage.json().getString("channel")).isEqualTo("imessage");

    String smsId = send(account, new JsonObject()).json().getString("id");
    Api.Response refused = api.post("/v1/messages/" + smsId + "/reactions", key,
        new JsonObject().put("reaction", "like"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("iMessage").contains("SMS");

    assertThat(api.post("/v1/messages/" + inboundId + "/reactions", key,
        new JsonObject().put("reaction", "wow")).status()).isEqualTo(422);
    assertThat(api.post("/v1/messages/msg_nope/reactions", key,
        new JsonObject().put("reaction", "like")).status()).isEqualTo(404);
    assertThat(api.post("/v1/messages/" + inboundId + "/reactions", server.newKey(),
        new JsonObject().put("reaction", "like")).status()).isEqualTo(404);
  }

  @Test
  void inboundReactionsRecordAnEvent() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject imessage = api.post("/v1/numbers", key, new JsonObject()
        .put("type", "imessage").put("agentId", account.getString("agent_id"))).json();
    String sentId = send(account, new JsonObject().put("number_id", imessage.getString("id"))
        .put("to_number", "+12125550151").put("body", "See you at 8")).json().getString("id");
    Api.Response reacted = api.post("/sandbox/imessage/reactions", key, new JsonObject()
        .put("from", "+12125550151").put("to", imessage.getString("phoneNumber"))
        .put("messageId", sentId).put("reaction", "like"));
    assertThat(reacted.status()).as(reacted.body()).isEqualTo(200);
    Map<String, Object> event = server.sql("SELECT agent_id, channel, conversation_id, "
        + "data::text AS data FROM events WHERE account_id = ? AND type = 'agent.reaction'",
        account.getString("account_id")).get(0);
    assertThat(event.get("agent_id")).isEqualTo(account.getString("agent_id"));
    assertThat(event.get("channel")).isEqualTo("imessage");
    JsonObject data = new JsonObject((String) event.get("data"));
    assertThat(data.fieldNames()).containsExactlyInAnyOrder("conversationId", "numberId",
        "reactionType", "fromNumber", "direction", "messageId", "messageBody", "createdAt");
    assertThat(data.getString("conversationId")).isEqualTo(event.get("conversation_id"));
    assertThat(data.getString("numberId")).isEqualTo(imessage.getString("id"));
    assertThat(data.getString("reactionType")).isEqualTo("like");
    assertThat(data.getString("fromNumber")).isEqualTo("+12125550151");
    assertThat(data.getString("direction")).isEqualTo("inbound");
    assertThat(data.getString("messageId")).isEqualTo(sentId);
    assertThat(data.getString("messageBody")).isEqualTo("See you at 8");
    // inbound iMessages are agent.message events on the imessage channel
    api.post("/sandbox/imessage", key, new JsonObject().put("from", "+12125550151")
        .put("to", imessage.getString("phoneNumber")).put("body", "👍"));
    assertThat(server.sql("SELECT channel FROM events WHERE account_id = ? AND "
        + "type = 'agent.message'", account.getString("account_id")).get(0).get("channel"))
        .isEqualTo("imessage");
  }
}

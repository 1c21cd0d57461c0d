package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a customer receives for real inbound traffic, driven through the sandbox carrier (which
 * posts signed Twilio requests to our own Twilio webhook): SMS, MMS, iMessage and reactions.
 */
class WebhookPayloadTest {
  static final Set<String> MESSAGE_DATA = Set.of("messageId", "conversationId", "numberId", "from",
      "to", "contact", "message", "mediaUrl", "mediaUrls", "direction", "receivedAt");
  static final Set<String> HISTORY_ITEM = Set.of("messageId", "content", "direction", "channel", "at");
  static final AtomicInteger PATHS = new AtomicInteger();

  static TestEngine server;
  static Api api;
  static Receiver receiver;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    api = server.api;
    receiver = new Receiver();
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
  }

  record Owner(String key, String agentId, String phoneNumber, String numberId, String path,
      String secret) {
  }

  static Owner owner(int contextLimit) {
    JsonObject signup = server.signUp("payload-" + System.nanoTime() + "@example.com");
    String key = signup.getString("api_key");
    String path = "/payload-" + PATHS.incrementAndGet();
    String secret = api.post("/v1/webhooks", key, new JsonObject().put("url", receiver.url(path))
        .put("contextLimit", contextLimit)).json().getString("secret");
    return new Owner(key, signup.getString("agent_id"), signup.getString("phone_number"),
        signup.getString("number_id"), path, secret);
  }

  static JsonObject sms(Owner owner, String from, String text, JsonArray media) {
    JsonObject request = new JsonObject().put("from", from).put("to", owner.phoneNumber())
        .put("body", text);
    if (media != null) {
      request.put("mediaUrls", media);
    }
    Api.Response sent = api.post("/sandbox/sms", owner.key(), request);
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    return sent.json();
  }

  @Test
  void inboundSmsCarriesMessageContactConversationStateAndTheLastMessages() {
    Owner owner = owner(3);
    String from = "+14155550142";
    JsonObject contact = api.post("/v1/contacts", owner.key(), new JsonObject()
        .put("phoneNumber", from).put("name", "Ada Lovelace").put("email", "ada@example.com")).json();
    sms(owner, from, "first", null);
    sms(owner, from, "second", null);
    sms(owner, from, "third", null);
    List<Receiver.Hit> early = receiver.awaitPath(3, owner.path());
    String conversationId = early.get(0).json().getJsonObject("data").getString("conversationId");
    assertThat(api.patch("/v1/conversations/" + conversationId, owner.key(),
        new JsonObject().put("metadata", new JsonObject().put("stage", "qualified")
            .put("orderId", 42))).status()).isEqualTo(200);
    sms(owner, from, "fourth", null);

    Receiver.Hit hit = receiver.await(1, h -> h.path().equals(owner.path())
        && "fourth".equals(h.json().getJsonObject("data").getString("message"))).get(0);
    Fixtures.assertSigned(hit, owner.secret());
    JsonObject body = hit.json();
    assertThat(body.fieldNames()).containsExactly("event", "channel", "timestamp", "accountId",
        "agentId", "data", "conversationState", "recentHistory");
    assertThat(body.getString("event")).isEqualTo("agent.message");
    assertThat(body.getString("channel")).isEqualTo("sms");
    assertThat(body.getString("accountId")).isEqualTo(server.sql(
        "SELECT account_id FROM agents WHERE id = ?", owner.agentId()).get(0).get("account_id"));
    assertThat(body.getString("agentId")).isEqualTo(owner.agentId());
    JsonObject data = body.getJsonObject("data");
    assertThat(data.fieldNames()).containsExactlyInAnyOrderElementsOf(MESSAGE_DATA);
    assertThat(data.getString("messageId")).startsWith("msg_");
    assertThat(data.getString("conversationId")).isEqualTo(conversationId);
    assertThat(data.getString("numberId")).isEqualTo(owner.numberId());
    assertThat(data.getString("from")).isEqualTo(from);
    assertThat(data.getString("to")).isEqualTo(owner.phoneNumber());
    assertThat(data.getString("direction")).isEqualTo("inbound");
    assertThat(data.getValue("mediaUrl")).isNull();
    assertThat(data.getJsonArray("mediaUrls")).isEmpty();
    assertThat(data.getString("receivedAt")).isNotBlank();
    assertThat(data.getJsonObject("contact")).isEqualTo(new JsonObject()
        .put("id", contact.getString("id")).put("name", "Ada Lovelace")
        .put("email", "ada@example.com").put("phoneNumber", from));

    assertThat(body.getJsonObject("conversationState"))
        .isEqualTo(new JsonObject().put("stage", "qualified").put("orderId", 42));
    JsonArray history = body.getJsonArray("recentHistory");
    assertThat(history).hasSize(3);
    assertThat(history.stream().map(h -> ((JsonObject) h).getString("content")))
        .containsExactly("second", "third", "fourth");
    JsonObject last = history.getJsonObject(2);
    assertThat(last.fieldNames()).containsExactlyInAnyOrderElementsOf(HISTORY_ITEM);
    assertThat(last.getString("messageId")).isEqualTo(data.getString("messageId"));
    assertThat(last.getString("direction")).isEqualTo("inbound");
    assertThat(last.getString("channel")).isEqualTo("sms");

    // each event's history ends at its own message
    Receiver.Hit firstHit = receiver.await(1, h -> h.path().equals(owner.path())
        && "first".equals(h.json().getJsonObject("data").getString("message"))).get(0);
    assertThat(firstHit.json().getJsonArray("recentHistory")).hasSize(1);
    assertThat(firstHit.json().getJsonObject("data").getValue("contact")).isNotNull();

    JsonObject logged = api.get("/v1/webhooks/deliveries?limit=1", owner.key()).json()
        .getJsonArray("items").getJsonObject(0);
    assertThat(logged.getString("messageId")).isEqualTo(data.getString("messageId"));
    assertThat(logged.getString("channel")).isEqualTo("sms");
  }

  @Test
  void inboundMmsListsItsMedia() {
    Owner owner = owner(10);
    sms(owner, "+14155550143", "look at these", new JsonArray()
        .add("https://media.example.com/a.jpg").add("https://media.example.com/b.png"));

    Receiver.Hit hit = receiver.awaitPath(1, owner.path()).get(0);
    Fixtures.assertSigned(hit, owner.secret());
    JsonObject body = hit.json();
    assertThat(body.getString("channel")).isEqualTo("mms");
    JsonObject data = body.getJsonObject("data");
    assertThat(data.fieldNames()).containsExactlyInAnyOrderElementsOf(MESSAGE_DATA);
    assertThat(data.getString("mediaUrl")).isEqualTo("https://media.example.com/a.jpg");
    assertThat(data.getJsonArray("mediaUrls")).containsExactly("https://media.example.com/a.jpg",
        "https://media.example.com/b.png");
    assertThat(data.getValue("contact")).isNull();
    assertThat(body.getJsonArray("recentHistory").getJsonObject(0).getString("channel"))
        .isEqualTo("mms");
  }

  @Test
  void inboundIMessageAndAReactionToIt() {
    Owner owner = owner(0);
    JsonObject number = api.post("/v1/numbers", owner.key(), new JsonObject()
        .put("type", "imessage").put("agentId", owner.agentId())).json();
    String imessageNumber = number.getString("phoneNumber");
    String from = "+14155550144";
    Api.Response sent = api.post("/sandbox/imessage", owner.key(), new JsonObject()
        .put("from", from).put("to", imessageNumber).put("body", "hey from my iPhone"));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);

    Receiver.Hit message = receiver.awaitPath(1, owner.path()).get(0);
    Fixtures.assertSigned(message, owner.secret());
    JsonObject body = message.json();
    assertThat(body.getString("event")).isEqualTo("agent.message");
    assertThat(body.getString("channel")).isEqualTo("imessage");
    JsonObject data = body.getJsonObject("data");
    assertThat(data.fieldNames()).containsExactlyInAnyOrderElementsOf(MESSAGE_DATA);
    assertThat(data.getString("numberId")).isEqualTo(number.getString("id"));
    assertThat(data.getString("message")).isEqualTo("hey from my iPhone");
    // contextLimit 0: no history, but the conversation's state still comes along
    assertThat(body.getJsonArray("recentHistory")).isEmpty();
    assertThat(body.containsKey("conversationState")).isTrue();

    Api.Response reacted = api.post("/sandbox/imessage/reactions", owner.key(), new JsonObject()
        .put("from", from).put("to", imessageNumber).put("messageId", data.getString("messageId"))
        .put("reaction", "love"));
    assertThat(reacted.status()).as(reacted.body()).isEqualTo(200);

    Receiver.Hit reaction = receiver.awaitPath(2, owner.path()).get(1);
    Fixtures.assertSigned(reaction, owner.secret());
    JsonObject reactionBody = reaction.json();
    assertThat(reactionBody.getString("event")).isEqualTo("agent.reaction");
    assertThat(reactionBody.getString("channel")).isEqualTo("imessage");
    assertThat(reactionBody.getString("agentId")).isEqualTo(owner.agentId());
    JsonObject reactionData = reactionBody.getJsonObject("data");
    assertThat(reactionData.fieldNames()).containsExactlyInAnyOrder("conversationId", "numberId",
        "reactionType", "fromNumber", "direction", "messageId", "messageBody", "createdAt");
    assertThat(reactionData.getString("reactionType")).isEqualTo("love");
    assertThat(reactionData.getString("fromNumber")).isEqualTo(from);
    assertThat(reactionData.getString("messageId")).isEqualTo(data.getString("messageId"));
    assertThat(reactionData.getString("messageBody")).isEqualTo("hey from my iPhone");
    assertThat(reactionData.getString("conversationId")).isEqualTo(data.getString("conversationId"));
    assertThat(reactionData.getString("direction")).isEqualTo("inbound");
  }
}

package dev.agentphone.messaging;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The newer send options: the line chosen by from_number or number_id alone, media_urls,
 * send_style, inline replies (reply_to_message_id), and the reactions a message shows.
 */
class SendOptionsTest {
  static final String ADA = "+12125550171";
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

  static JsonObject account() {
    return server.signUp("options-" + System.nanoTime() + "@example.com");
  }

  static JsonObject imessageLine(JsonObject account) {
    return api.post("/v1/numbers", account.getString("api_key"), new JsonObject()
        .put("type", "imessage").put("agentId", account.getString("agent_id"))).json();
  }

  static Api.Response send(JsonObject account, JsonObject body) {
    return api.post("/v1/messages", account.getString("api_key"), body);
  }

  static JsonObject newest(JsonObject account, String conversationId) {
    return api.get("/v1/conversations/" + conversationId + "/messages?limit=1",
        account.getString("api_key")).json().getJsonArray("data").getJsonObject(0);
  }

  @Test
  void fromNumberOrNumberIdAloneChooseTheLine() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject loose = api.post("/v1/numbers", key, new JsonObject()).json();
    Api.Response byPhone = send(account, new JsonObject()
        .put("from_number", loose.getString("phoneNumber")).put("to_number", ADA)
        .put("body", "From the loose line"));
    assertThat(byPhone.status()).as(byPhone.body()).isEqualTo(200);
    assertThat(byPhone.json().getString("from_number")).isEqualTo(loose.getString("phoneNumber"));
    Api.Response byId = send(account, new JsonObject().put("number_id", loose.getString("id"))
        .put("to_number", ADA).put("body", "Again"));
    assertThat(byId.json().getString("from_number")).isEqualTo(loose.getString("phoneNumber"));
    assertThat(byId.json().getString("conversation_id"))
        .isEqualTo(byPhone.json().getString("conversation_id"));
    // national formats of our own number work too
    String national = loose.getString("phoneNumber").substring(2);
    assertThat(send(account, new JsonObject().put("from_number", national).put("to_number", ADA)
        .put("body", "x")).json().getString("from_number")).isEqualTo(loose.getString("phoneNumber"));
  }

  @Test
  void aFromNumberThatIsNotTheAccountsLineIsRefused() {
    JsonObject account = account();
    JsonObject other = account();
    Api.Response others = send(account, new JsonObject()
        .put("from_number", other.getString("phone_number")).put("to_number", ADA)
        .put("body", "hi"));
    assertThat(others.status()).isEqualTo(404);
    assertThat(send(account, new JsonObject().put("from_number", "+12125550100")
        .put("to_number", ADA).put("body", "hi")).status()).isEqualTo(404);
    Api.Response invalid = send(account, new JsonObject().put("from_number", "12")
        .put("to_number", ADA).put("body", "hi"));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.json().getJsonArray("detail").getJsonObject(0).getJsonArray("loc"))
        .containsExactly("body", "from_number");
    // the agent's line must be the one named
    JsonObject loose = api.post("/v1/numbers", account.getString("api_key"), new JsonObject())
        .json();
    assertThat(send(account, new JsonObject().put("agent_id", account.getString("agent_id"))
        .put("from_number", loose.getString("phoneNumber")).put("to_number", ADA)
        .put("body", "hi")).status()).isEqualTo(404);
    Api.Response disagree = send(account, new JsonObject()
        .put("number_id", account.getString("number_id"))
        .put("from_number", loose.getString("phoneNumber")).put("to_number", ADA)
        .put("body", "hi"));
    assertThat(disagree.status()).isEqualTo(400);
    assertThat(disagree.json().getString("detail")).contains("different lines");
    Api.Response none = send(account, new JsonObject().put("to_number", ADA).put("body", "hi"));
    assertThat(none.status()).isEqualTo(422);
    assertThat(none.json().getJsonArray("detail").getJsonObject(0).getJsonArray("loc"))
        .containsExactly("body", "agent_id");
    assertThat(server.sql("SELECT count(*) AS n FROM messages WHERE account_id = ?",
        account.getString("account_id")).get(0).get("n")).isEqualTo(0L);
  }

  @Test
  void mediaUrlsAreSentAsOneMms() {
    JsonObject account = account();
    List<String> media = List.of("https://example.com/menu-1.jpg",
        "https://example.com/menu-2.jpg");
    Api.Response sent = send(account, new JsonObject().put("agent_id",
            account.getString("agent_id")).put("to_number", ADA).put("body", "Our menu")
        .put("media_urls", new JsonArray(media)));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.json().getString("channel")).isEqualTo("mms");
    assertThat(sent.json().getJsonArray("media_urls")).containsExactlyElementsOf(media);
    JsonObject stored = newest(account, sent.json().getString("conversation_id"));
    assertThat(stored.getJsonArray("mediaUrls")).containsExactlyElementsOf(media);
    assertThat(stored.getString("mediaUrl")).isEqualTo(media.get(0));
    JsonObject outbox = api.get("/sandbox/sms", account.getString("api_key")).json()
        .getJsonArray("data").getJsonObject(0);
    assertThat(outbox.getString("channel")).isEqualTo("mms");
    assertThat(outbox.getJsonArray("mediaUrls")).containsExactlyElementsOf(media);
    // the deprecated media_url joins the list first, without repeats; media alone needs no body
    Api.Response both = send(account, new JsonObject().put("agent_id",
            account.getString("agent_id")).put("to_number", ADA).put("body", "")
        .put("media_url", "http://example.com/a.jpg")
        .put("media_urls", new JsonArray().add("https://example.com/b.jpg")
            .add("https://example.com/b.jpg")));
    assertThat(both.status()).as(both.body()).isEqualTo(200);
    assertThat(both.json().getJsonArray("media_urls"))
        .containsExactly("http://example.com/a.jpg", "https://example.com/b.jpg");
  }

  @Test
  void mediaRulesDependOnTheLine() {
    JsonObject account = account();
    JsonObject line = imessageLine(account);
    JsonArray three = new JsonArray(IntStream.range(0, 3)
        .mapToObj(i -> "https://example.com/p" + i + ".jpg").toList());
    // an iMessage carousel: several images, no text
    Api.Response carousel = send(account, new JsonObject().put("number_id", line.getString("id"))
        .put("to_number", ADA).put("body", "").put("media_urls", three));
    assertThat(carousel.status()).as(carousel.body()).isEqualTo(200);
    assertThat(carousel.json().getString("channel")).isEqualTo("imessage");
    Api.Response withText = send(account, new JsonObject().put("number_id",
            line.getString("id")).put("to_number", ADA).put("body", "look")
        .put("media_urls", three));
    assertThat(withText.status()).isEqualTo(400);
    assertThat(withText.json().getString("detail")).contains("carousel");
    JsonArray eleven = new JsonArray(IntStream.range(0, 11)
        .mapToObj(i -> "https://example.com/p" + i + ".jpg").toList());
    Api.Response tooManyForMms = send(account, new JsonObject().put("agent_id",
            account.getString("agent_id")).put("to_number", ADA).put("body", "")
        .put("media_urls", eleven));
    assertThat(tooManyForMms.status()).isEqualTo(400);
    assertThat(tooManyForMms.json().getString("detail")).contains("at most 10");
    JsonArray many = new JsonArray(IntStream.range(0, 21)
        .mapToObj(i -> "https://example.com/p" + i + ".jpg").toList());
    for (Object bad : List.of(many, new JsonArray().add("http://example.com/a.jpg"),
        new JsonArray().add("ftp://example.com/a.jpg"), new JsonArray().add(5), "one")) {
      assertThat(send(account, new JsonObject().put("number_id", line.getString("id"))
          .put("to_number", ADA).put("body", "").put("media_urls", bad)).status())
          .as(String.valueOf(bad)).isEqualTo(422);
    }
  }

  @Test
  void sendStyleIsAnIMessageEffect() {
    JsonObject account = account();
    String key = account.getString("api_key");
    Api.Response refused = send(account, new JsonObject().put("agent_id",
            account.getString("agent_id")).put("to_number", ADA).put("body", "Surprise!")
        .put("send_style", "confetti"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("send_style")
        .contains("iMessage").contains("SMS line");
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data")).isEmpty();
    assertThat(send(account, new JsonObject().put("agent_id", account.getString("agent_id"))
        .put("to_number", ADA).put("body", "x").put("send_style", "sparkles")).status())
        .isEqualTo(422);

    JsonObject line = imessageLine(account);
    Api.Response sent = send(account, new JsonObject().put("number_id", line.getString("id"))
        .put("to_number", ADA).put("body", "Surprise!").put("send_style", "confetti"));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(server.sql("SELECT send_style FROM messages WHERE id = ?",
        sent.json().getString("id")).get(0).get("send_style")).isEqualTo("confetti");
    JsonObject asked = api.get("/sandbox/sms", key).json().getJsonArray("data").getJsonObject(0);
    assertThat(asked.getJsonObject("details").getString("sendStyle")).isEqualTo("confetti");
  }

  @Test
  void repliesAreThreadedUnderAParentOfTheSameChat() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject line = imessageLine(account);
    JsonObject in = api.post("/sandbox/imessage", key, new JsonObject().put("from", ADA)
        .put("to", line.getString("phoneNumber")).put("body", "Dinner at 8?")
        .put("mediaUrls", new JsonArray().add("https://example.com/menu.jpg"))).json();
    String parent = in.getString("messageId");
    Api.Response reply = send(account, new JsonObject().put("number_id", line.getString("id"))
        .put("to_number", ADA).put("body", "Booked.").put("reply_to_message_id", parent));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getString("reply_to_message_id")).isEqualTo(parent);
    assertThat(reply.json().getBoolean("reply_parent_unresolved")).isFalse();
    JsonObject stored = newest(account, in.getString("conversationId"));
    assertThat(stored.getJsonObject("replyTo")).isEqualTo(new JsonObject()
        .put("messageId", parent).put("message", "Dinner at 8?")
        .put("mediaUrls", new JsonArray().add("https://example.com/menu.jpg")));
    // the carrier was asked to thread it under its own id of the parent
    String parentSid = (String) server.sql("SELECT provider_sid FROM messages WHERE id = ?",
        parent).get(0).get("provider_sid");
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data").getJsonObject(0)
        .getJsonObject("details").getString("replyTo")).isEqualTo(parentSid);
    // a message without a parent shows replyTo null
    assertThat(api.get("/v1/conversations/" + in.getString("conversationId") + "/messages",
        key).json().getJsonArray("data").getJsonObject(1).getValue("replyTo")).isNull();
  }

  @Test
  void aParentThatCannotBeThreadedIsReportedAndTheMessageStillGoes() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject line = imessageLine(account);
    String otherChat = api.post("/sandbox/imessage", key, new JsonObject()
        .put("from", "+12125550179").put("to", line.getString("phoneNumber"))
        .put("body", "elsewhere")).json().getString("messageId");
    JsonObject stranger = account();
    JsonObject strangerLine = imessageLine(stranger);
    String othersMessage = api.post("/sandbox/imessage", stranger.getString("api_key"),
        new JsonObject().put("from", ADA).put("to", strangerLine.getString("phoneNumber"))
            .put("body", "secret")).json().getString("messageId");
    for (String parent : List.of("msg_unknown", otherChat, othersMessage)) {
      Api.Response sent = send(account, new JsonObject().put("number_id", line.getString("id"))
          .put("to_number", ADA).put("body", "hi").put("reply_to_message_id", parent));
      assertThat(sent.status()).as(parent).isEqualTo(200);
      assertThat(sent.json().getString("reply_to_message_id")).isEqualTo(parent);
      assertThat(sent.json().getBoolean("reply_parent_unresolved")).as(parent).isTrue();
      assertThat(newest(account, sent.json().getString("conversation_id")).getValue("replyTo"))
          .isNull();
    }
    // on SMS there is no threading at all: delivered as a plain SMS
    String smsIn = api.post("/sandbox/sms", key, new JsonObject().put("from", ADA)
        .put("to", account.getString("phone_number")).put("body", "hello")).json()
        .getJsonObject("message").getString("id");
    Api.Response sms = send(account, new JsonObject().put("agent_id",
            account.getString("agent_id")).put("to_number", ADA).put("body", "hi")
        .put("reply_to_message_id", smsIn));
    assertThat(sms.status()).isEqualTo(200);
    assertThat(sms.json().getBoolean("reply_parent_unresolved")).isTrue();
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data").getJsonObject(0)
        .getJsonObject("details").isEmpty()).isTrue();
  }

  @Test
  void inboundRepliesNameTheirParentInTheWebhookEvent() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject line = imessageLine(account);
    String ours = send(account, new JsonObject().put("number_id", line.getString("id"))
        .put("to_number", ADA).put("body", "Table for two?")).json().getString("id");
    JsonObject in = api.post("/sandbox/imessage", key, new JsonObject().put("from", ADA)
        .put("to", line.getString("phoneNumber")).put("body", "Yes please")
        .put("replyTo", ours)).json();
    assertThat(newest(account, in.getString("conversationId")).getJsonObject("replyTo")
        .getString("messageId")).isEqualTo(ours);
    JsonObject data = new JsonObject((String) server.sql("SELECT data::text AS data FROM events "
        + "WHERE account_id = ? AND type = 'agent.message'", account.getString("account_id"))
        .get(0).get("data"));
    assertThat(data.getJsonObject("replyTo")).isEqualTo(new JsonObject().put("messageId", ours)
        .put("message", "Table for two?").put("mediaUrls", new JsonArray()));
    assertThat(data.containsKey("isGroup")).isFalse();
  }

  @Test
  void messagesShowTheirReactionsBothWays() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject line = imessageLine(account);
    JsonObject in = api.post("/sandbox/imessage", key, new JsonObject().put("from", ADA)
        .put("to", line.getString("phoneNumber")).put("body", "Dinner at 8?")).json();
    api.post("/v1/messages/" + in.getString("messageId") + "/reactions", key,
        new JsonObject().put("reaction", "love"));
    String ours = send(account, new JsonObject().put("number_id", line.getString("id"))
        .put("to_number", ADA).put("body", "See you")).json().getString("id");
    api.post("/sandbox/imessage/reactions", key, new JsonObject().put("from", ADA)
        .put("to", line.getString("phoneNumber")).put("messageId", ours).put("reaction", "like"));
    JsonArray messages = api.get("/v1/conversations/" + in.getString("conversationId")
        + "/messages", key).json().getJsonArray("data");
    JsonArray onOurs = messages.getJsonObject(0).getJsonArray("reactions");
    JsonArray onTheirs = messages.getJsonObject(1).getJsonArray("reactions");
    assertThat(onOurs).hasSize(1);
    assertThat(onOurs.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("id",
        "reactionType", "fromNumber", "direction", "createdAt");
    assertThat(onOurs.getJsonObject(0).getString("reactionType")).isEqualTo("like");
    assertThat(onOurs.getJsonObject(0).getString("fromNumber")).isEqualTo(ADA);
    assertThat(onOurs.getJsonObject(0).getString("direction")).isEqualTo("inbound");
    assertThat(onTheirs.getJsonObject(0).getString("reactionType")).isEqualTo("love");
    assertThat(onTheirs.getJsonObject(0).getString("direction")).isEqualTo("outbound");
    assertThat(onTheirs.getJsonObject(0).getString("fromNumber"))
        .isEqualTo(line.getString("phoneNumber"));
    // the detail shows them too, and a message without any has an empty list
    JsonArray detail = api.get("/v1/conversations/" + in.getString("conversationId"), key)
        .json().getJsonArray("messages");
    assertThat(detail.getJsonObject(1).getJsonArray("reactions")).hasSize(1);
    String plain = send(account, new JsonObject().put("number_id", line.getString("id"))
        .put("to_number", ADA).put("body", "no reactions")).json().getString("id");
    assertThat(newest(account, in.getString("conversationId")).getString("id")).isEqualTo(plain);
    assertThat(newest(account, in.getString("conversationId")).getJsonArray("reactions"))
        .isEmpty();
  }

  @Test
  void aNumbersMessagesNameTheSenderAsFromToo() {
    JsonObject account = account();
    String key = account.getString("api_key");
    api.post("/sandbox/sms", key, new JsonObject().put("from", ADA)
        .put("to", account.getString("phone_number")).put("body", "hello"));
    JsonObject item = api.get("/v1/numbers/" + account.getString("number_id") + "/messages", key)
        .json().getJsonArray("data").getJsonObject(0);
    assertThat(item.getString("from")).isEqualTo(ADA);
    assertThat(item.getString("from_")).isEqualTo(ADA);
    assertThat(item.getString("to")).isEqualTo(account.getString("phone_number"));
  }
}

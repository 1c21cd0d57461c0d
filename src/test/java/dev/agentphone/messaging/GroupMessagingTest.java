package dev.agentphone.messaging;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * iMessage groups: started with recipients, continued with the group id, renamed with PATCH
 * group_name, written in by their members; refused on SMS lines.
 */
class GroupMessagingTest {
  static final String ADA = "+12125550161";
  static final String BOB = "+12125550162";
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

  /** A new account with an iMessage line on its agent: {@code api_key, agent_id, line…}. */
  static JsonObject account() {
    JsonObject account = server.signUp("group-" + System.nanoTime() + "@example.com");
    JsonObject line = api.post("/v1/numbers", account.getString("api_key"), new JsonObject()
        .put("type", "imessage").put("agentId", account.getString("agent_id"))).json();
    return account.put("line_id", line.getString("id"))
        .put("line", line.getString("phoneNumber"));
  }

  static Api.Response send(JsonObject account, JsonObject body) {
    return api.post("/v1/messages", account.getString("api_key"), body);
  }

  static JsonObject startGroup(JsonObject account, String text) {
    Api.Response started = send(account, new JsonObject().put("number_id",
            account.getString("line_id"))
        .put("recipients", new JsonArray().add("(212) 555-0161").add(BOB).add(ADA))
        .put("body", text));
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    return started.json();
  }

  static JsonObject conversation(JsonObject account, String id) {
    return api.get("/v1/conversations/" + id, account.getString("api_key")).json();
  }

  @Test
  void recipientsStartAGroupConversationWithItsMembers() {
    JsonObject account = account();
    String key = account.getString("api_key");
    api.post("/v1/contacts", key, new JsonObject().put("phoneNumber", BOB).put("name", "Bob"));
    JsonObject sent = startGroup(account, "Hi both!");
    assertThat(sent.getString("to_number")).startsWith("grp_");
    assertThat(sent.getString("channel")).isEqualTo("imessage");
    assertThat(sent.getString("from_number")).isEqualTo(account.getString("line"));

    JsonObject summary = api.get("/v1/conversations", key).json().getJsonArray("data")
        .stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(sent.getString("conversation_id"))).findFirst()
        .orElseThrow();
    assertThat(summary.getString("participant")).isEqualTo(sent.getString("to_number"));
    assertThat(summary.getBoolean("isGroup")).isTrue();
    assertThat(summary.getString("groupId")).isEqualTo(sent.getString("to_number"));
    assertThat(summary.getValue("groupName")).isNull();
    assertThat(summary.getValue("groupIconUrl")).isNull();
    // the repeated member is listed once; members are named after the account's contacts
    assertThat(summary.getJsonArray("participants")).containsExactly(
        new JsonObject().put("identifier", ADA).putNull("name"),
        new JsonObject().put("identifier", BOB).put("name", "Bob"));

    JsonObject message = conversation(account, summary.getString("id")).getJsonArray("messages")
        .getJsonObject(0);
    assertThat(message.getString("toNumber")).isEqualTo(sent.getString("to_number"));
    assertThat(message.getString("senderIdentifier")).isEqualTo(account.getString("line"));

    // the carrier was asked to start a group of both members
    JsonObject asked = api.get("/sandbox/sms", key).json().getJsonArray("data").getJsonObject(0);
    assertThat(asked.getString("action")).isEqualTo("message");
    assertThat(asked.getString("body")).isEqualTo("Hi both!");
    assertThat(asked.getJsonObject("details").getJsonArray("recipients"))
        .containsExactly(ADA, BOB);
  }

  @Test
  void followUpsGoToTheGroupIdAndMembersWriteInIt() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject started = startGroup(account, "Dinner?");
    String group = started.getString("to_number");
    String chat = api.get("/sandbox/sms", key).json().getJsonArray("data").getJsonObject(0)
        .getString("to");

    Api.Response followUp = send(account, new JsonObject().put("agent_id",
            account.getString("agent_id")).put("number_id", account.getString("line_id"))
        .put("to_number", group).put("body", "At 8?"));
    assertThat(followUp.status()).as(followUp.body()).isEqualTo(200);
    assertThat(followUp.json().getString("to_number")).isEqualTo(group);
    assertThat(followUp.json().getString("conversation_id"))
        .isEqualTo(started.getString("conversation_id"));
    // the follow-up goes to the chat the carrier made, not to a new group
    JsonObject asked = api.get("/sandbox/sms", key).json().getJsonArray("data").getJsonObject(0);
    assertThat(asked.getString("to")).isEqualTo(chat);
    assertThat(asked.getJsonObject("details").containsKey("recipients")).isFalse();

    Api.Response inbound = api.post("/sandbox/imessage", key, new JsonObject().put("from", BOB)
        .put("to", account.getString("line")).put("body", "Yes!").put("groupId", group));
    assertThat(inbound.status()).as(inbound.body()).isEqualTo(200);
    assertThat(inbound.json().getString("conversationId"))
        .isEqualTo(started.getString("conversation_id"));

    JsonObject detail = conversation(account, started.getString("conversation_id"));
    assertThat(detail.getInteger("messageCount")).isEqualTo(3);
    JsonObject fromBob = detail.getJsonArray("messages").getJsonObject(0);
    assertThat(fromBob.getString("fromNumber")).isEqualTo(BOB);
    assertThat(fromBob.getString("toNumber")).isEqualTo(group);
    assertThat(fromBob.getString("senderIdentifier")).isEqualTo(BOB);
    assertThat(fromBob.getString("direction")).isEqualTo("inbound");

    // the agent.message event says which group and who in it
    JsonObject data = new JsonObject((String) server.sql("SELECT data::text AS data FROM events "
        + "WHERE account_id = ? AND type = 'agent.message'", account.getString("account_id"))
        .get(0).get("data"));
    assertThat(data.getBoolean("isGroup")).isTrue();
    assertThat(data.getString("groupId")).isEqualTo(group);
    assertThat(data.getString("senderIdentifier")).isEqualTo(BOB);
    assertThat(data.getString("from")).isEqualTo(BOB);
    assertThat(data.getJsonArray("participants")).hasSize(2);
  }

  @Test
  void groupNameIsSetAtTheCarrierAndOnTheConversation() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject started = startGroup(account, "Plans");
    String id = started.getString("conversation_id");
    Api.Response renamed = api.patch("/v1/conversations/" + id, key,
        new JsonObject().put("group_name", "  Dinner crew "));
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().getString("groupName")).isEqualTo("Dinner crew");
    assertThat(renamed.json().getValue("metadata")).isNull();
    JsonObject asked = api.get("/sandbox/sms", key).json().getJsonArray("data").getJsonObject(0);
    assertThat(asked.getString("action")).isEqualTo("group.rename");
    assertThat(asked.getJsonObject("details").getString("name")).isEqualTo("Dinner crew");

    // metadata alone leaves the name; the same name again is not sent to the carrier again
    api.patch("/v1/conversations/" + id, key, new JsonObject().put("metadata",
        new JsonObject().put("k", 1)));
    Api.Response same = api.patch("/v1/conversations/" + id, key,
        new JsonObject().put("group_name", "Dinner crew"));
    assertThat(same.json().getString("groupName")).isEqualTo("Dinner crew");
    assertThat(same.json().getJsonObject("metadata")).isEqualTo(new JsonObject().put("k", 1));
    assertThat(outboxActions(key)).containsExactly("group.rename", "message");

    // null removes the name
    Api.Response cleared = api.patch("/v1/conversations/" + id, key,
        new JsonObject().putNull("group_name"));
    assertThat(cleared.json().getValue("groupName")).isNull();
    assertThat(api.get("/v1/conversations", key).json().getJsonArray("data").getJsonObject(0)
        .getValue("groupName")).isNull();

    for (Object bad : List.of("", " ", "x".repeat(101), 7)) {
      assertThat(api.patch("/v1/conversations/" + id, key, new JsonObject()
          .put("group_name", bad)).status()).as(String.valueOf(bad)).isEqualTo(422);
    }
    assertThat(api.patch("/v1/conversations/" + id, server.newKey(), new JsonObject()
        .put("group_name", "Mine")).status()).isEqualTo(404);
  }

  @Test
  void aOneToOneConversationHasNoGroupName() {
    JsonObject account = account();
    String key = account.getString("api_key");
    String conversation = send(account, new JsonObject().put("number_id",
            account.getString("line_id")).put("to_number", ADA).put("body", "hi")).json()
        .getString("conversation_id");
    Api.Response refused = api.patch("/v1/conversations/" + conversation, key,
        new JsonObject().put("group_name", "Pals").put("metadata", new JsonObject()));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("group conversations only");
    // nothing of the refused PATCH was applied
    assertThat(conversation(account, conversation).getValue("metadata")).isNull();
  }

  @Test
  void groupsAreRefusedOnSmsLines() {
    JsonObject account = server.signUp("group-sms-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    Api.Response refused = send(account, new JsonObject()
        .put("agent_id", account.getString("agent_id"))
        .put("recipients", new JsonArray().add(ADA).add(BOB)).put("body", "hi"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("iMessage").contains("SMS line");
    Api.Response toGroup = send(account, new JsonObject()
        .put("agent_id", account.getString("agent_id")).put("to_number", "grp_x")
        .put("body", "hi"));
    assertThat(toGroup.status()).isEqualTo(400);
    assertThat(server.sql("SELECT count(*) AS n FROM messages WHERE account_id = ?",
        account.getString("account_id")).get(0).get("n")).isEqualTo(0L);
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data")).isEmpty();
  }

  @Test
  void badGroupsAre422AndUnknownGroups404() {
    JsonObject account = account();
    String line = account.getString("line_id");
    Map<JsonArray, String> bad = Map.of(
        new JsonArray().add(ADA), "too_short",
        new JsonArray().add(ADA).add("(212) 555-0161"), "too_short",
        new JsonArray().add(ADA).add("not a number"), "value_error",
        new JsonArray().add(ADA).add(account.getString("line")), "value_error",
        new JsonArray().add(ADA).add("grp_abc"), "value_error");
    bad.forEach((recipients, type) -> {
      Api.Response refused = send(account, new JsonObject().put("number_id", line)
          .put("recipients", recipients).put("body", "hi"));
      assertThat(refused.status()).as(recipients.encode()).isEqualTo(422);
      assertThat(refused.json().getJsonArray("detail").getJsonObject(0).getString("type"))
          .as(recipients.encode()).isEqualTo(type);
    });
    Api.Response both = send(account, new JsonObject().put("number_id", line)
        .put("recipients", new JsonArray().add(ADA).add(BOB)).put("to_number", ADA)
        .put("body", "hi"));
    assertThat(both.status()).isEqualTo(422);
    assertThat(both.json().getJsonArray("detail").getJsonObject(0).getJsonArray("loc"))
        .containsExactly("body", "recipients");

    JsonObject other = account();
    String othersGroup = startGroup(other, "ours").getString("to_number");
    Api.Response unknown = send(account, new JsonObject().put("number_id", line)
        .put("to_number", othersGroup).put("body", "hi"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(send(account, new JsonObject().put("number_id", line)
        .put("to_number", "grp_nope").put("body", "hi")).status()).isEqualTo(404);
    assertThat(api.post("/sandbox/imessage", account.getString("api_key"), new JsonObject()
        .put("from", ADA).put("to", account.getString("line")).put("body", "hi")
        .put("groupId", othersGroup)).status()).isEqualTo(404);
  }

  @Test
  void emailAddressesAreIMessageRecipients() {
    JsonObject account = account();
    Api.Response sent = send(account, new JsonObject().put("number_id",
            account.getString("line_id")).put("to_number", "Ada@Example.com").put("body", "hi"));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.json().getString("to_number")).isEqualTo("ada@example.com");
    JsonObject sms = server.signUp("email-sms-" + System.nanoTime() + "@example.com");
    Api.Response refused = send(sms, new JsonObject().put("agent_id", sms.getString("agent_id"))
        .put("to_number", "ada@example.com").put("body", "hi"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("iMessage only");
  }

  static List<String> outboxActions(String key) {
    return api.get("/sandbox/sms", key).json().getJsonArray("data").stream()
        .map(o -> ((JsonObject) o).getString("action")).toList();
  }
}

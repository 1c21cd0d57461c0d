package dev.agentphone.conversations;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP edge writes a page of conversations straight from the rows; the domain's API over the
 * event bus builds the same page as objects. Both answer the same bytes: groups (members, name),
 * metadata, nulls, the agent filter and pages past the end.
 */
class ConversationListAnswerTest {
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

  private static String overTheBus(String accountId, String agentId, int limit, int offset)
      throws Exception {
    JsonObject page = new ConversationsApi(server.vertx).list(accountId, agentId, limit, offset)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return Json.encode(page);
  }

  @Test
  void theEdgeAnswersWhatTheDomainsApiAnswers() throws Exception {
    JsonObject account = server.signUp("answers-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String accountId = account.getString("account_id");
    String agentId = account.getString("agent_id");
    String line = api.post("/v1/numbers", key, new JsonObject().put("type", "imessage")
        .put("agentId", agentId)).json().getString("id");
    Api.Response group = api.post("/v1/messages", key, new JsonObject().put("number_id", line)
        .put("recipients", new JsonArray().add("+12125550161").add("+12125550162"))
        .put("body", "hello, both"));
    assertThat(group.status()).as(group.body()).isEqualTo(200);
    for (String from : new String[] {"+12125550171", "+12125550172", "+12125550173"}) {
      assertThat(TwilioForms.post(api, "/webhooks/twilio/sms", TwilioForms.sms(
          "SM" + System.nanoTime(), from, account.getString("phone_number"), "Zoë: \"open?\""),
          "sandbox-twilio-auth-token").status()).isEqualTo(200);
    }
    JsonObject first = api.get("/v1/conversations?limit=1", key).json().getJsonArray("data")
        .getJsonObject(0);
    assertThat(api.patch("/v1/conversations/" + first.getString("id"), key, new JsonObject()
        .put("metadata", new JsonObject().put("tier", "gold").put("score", 4.5)
            .put("tags", new JsonArray().add("vip")))).status()).isEqualTo(200);
    String groupId = api.get("/v1/conversations?limit=100", key).json().getJsonArray("data")
        .stream().map(JsonObject.class::cast).filter(c -> c.getBoolean("isGroup"))
        .findFirst().orElseThrow().getString("id");
    assertThat(api.patch("/v1/conversations/" + groupId, key, new JsonObject()
        .put("group_name", "Both of them")).status()).isEqualTo(200);

    for (int[] page : new int[][] {{20, 0}, {2, 1}, {1, 3}, {20, 4}, {20, 50}}) {
      String query = "?limit=" + page[0] + "&offset=" + page[1];
      Api.Response all = api.get("/v1/conversations" + query, key);
      assertThat(all.status()).isEqualTo(200);
      assertThat(all.body()).isEqualTo(overTheBus(accountId, null, page[0], page[1]));
      Api.Response ofAgent = api.get("/v1/agents/" + agentId + "/conversations" + query, key);
      assertThat(ofAgent.status()).isEqualTo(200);
      assertThat(ofAgent.body()).isEqualTo(overTheBus(accountId, agentId, page[0], page[1]));
    }
    JsonObject whole = api.get("/v1/conversations", key).json();
    assertThat(whole.getLong("total")).isEqualTo(4);
    assertThat(whole.encode()).contains("\"groupName\":\"Both of them\"", "\"tier\":\"gold\"",
        "\"participants\":[");
  }
}

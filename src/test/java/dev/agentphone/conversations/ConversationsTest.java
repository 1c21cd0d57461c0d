package dev.agentphone.conversations;

import dev.agentphone.platform.ApiError;
import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationsTest {
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
    return server.signUp("conv-" + System.nanoTime() + "@example.com");
  }

  private static void inbound(JsonObject account, String from, String body) {
    Api.Response r = TwilioForms.post(api, "/webhooks/twilio/sms", TwilioForms.sms(
        "SM" + System.nanoTime(), from, account.getString("phone_number"), body),
        "sandbox-twilio-auth-token");
    assertThat(r.status()).isEqualTo(200);
  }

  private static void reply(JsonObject account, String to, String body) {
    assertThat(api.post("/v1/messages", account.getString("api_key"), new JsonObject()
        .put("agent_id", account.getString("agent_id")).put("to_number", to).put("body", body))
        .status()).isEqualTo(200);
  }

  private static String conversationWith(JsonObject account, String participant) {
    for (Object c : api.get("/v1/conversations?limit=100", account.getString("api_key")).json()
        .getJsonArray("data")) {
      if (participant.equals(((JsonObject) c).getString("participant"))) {
        return ((JsonObject) c).getString("id");
      }
    }
    throw new AssertionError("no conversation with " + participant);
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void listIsMostRecentFirstWithPreviewAndCount() {
    JsonObject account = account();
    String key = account.getString("api_key");
    inbound(account, "+12125550201", "first");
    inbound(account, "+12125550202", "second");
    reply(account, "+12125550201", "answer to first");
    JsonObject page = api.get("/v1/conversations", key).json();
    assertThat(page.getInteger("total")).isEqualTo(2);
    assertThat(page.getBoolean("hasMore")).isFalse();
    JsonObject top = page.getJsonArray("data").getJsonObject(0);
    assertThat(top.getString("participant")).isEqualTo("+12125550201");
    assertThat(top.getString("lastMessagePreview")).isEqualTo("answer to first");
    assertThat(top.getInteger("messageCount")).isEqualTo(2);
    assertThat(top.getString("agentId")).isEqualTo(account.getString("agent_id"));
    assertThat(top.getString("phoneNumberId")).isEqualTo(account.getString("number_id"));
    assertThat(top.getString("phoneNumber")).isEqualTo(account.getString("phone_number"));
    assertThat(top.containsKey("metadata")).isTrue();
    assertThat(top.getString("lastMessageAt")).isNotBlank();
    assertThat(top.getString("createdAt")).isNotBlank();
    JsonObject limited = api.get("/v1/conversations?limit=1&offset=1", key).json();
    assertThat(limited.getJsonArray("data").getJsonObject(0).getString("participant"))
        .isEqualTo("+12125550202");
    assertThat(api.get("/v1/conversations?limit=101", key).status()).isEqualTo(422);
  }

  @Test
  void agentConversationsListOnlyThatAgentsNumbers() {
    JsonObject account = account();
    String key = account.getString("api_key");
    inbound(account, "+12125550203", "to the starter agent");
    String other = api.post("/v1/agents", key, new JsonObject().put("name", "Other")).json()
        .getString("id");
    JsonObject page = api.get("/v1/agents/" + account.getString("agent_id") + "/conversations",
        key).json();
    assertThat(page.getInteger("total")).isEqualTo(1);
    assertThat(page.getJsonArray("data").getJsonObject(0).getString("participant"))
        .isEqualTo("+12125550203");
    assertThat(api.get("/v1/agents/" + other + "/conversations", key).json().getInteger("total"))
        .isZero();
    assertThat(api.get("/v1/agents/agt_nope/conversations", key).status()).isEqualTo(404);
  }

  @Test
  void detailCarriesRecentMessagesAndMetadataCanBeSet() {
    JsonObject account = account();
    String key = account.getString("api_key");
    for (int i = 1; i <= 5; i++) {
      inbound(account, "+12125550204", "m" + i);
    }
    String id = conversationWith(account, "+12125550204");
    JsonObject detail = api.get("/v1/conversations/" + id + "?message_limit=3", key).json();
    assertThat(detail.getInteger("messageCount")).isEqualTo(5);
    JsonArray messages = detail.getJsonArray("messages");
    assertThat(messages.stream().map(m -> ((JsonObject) m).getString("body")))
        .containsExactly("m5", "m4", "m3");
    JsonObject first = messages.getJsonObject(0);
    assertThat(first.getString("fromNumber")).isEqualTo("+12125550204");
    assertThat(first.getString("toNumber")).isEqualTo(account.getString("phone_number"));
    assertThat(first.getString("direction")).isEqualTo("inbound");
    assertThat(first.getString("receivedAt")).isNotBlank();

    JsonObject state = new JsonObject().put("customer", "Ada").put("order", 42);
    Api.Response patched = api.patch("/v1/conversations/" + id, key,
        new JsonObject().put("metadata", state));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().getJsonObject("metadata")).isEqualTo(state);
    assertThat(api.patch("/v1/conversations/" + id, key, new JsonObject()).json()
        .getJsonObject("metadata")).isEqualTo(state);
    assertThat(api.get("/v1/conversations", key).json().getJsonArray("data").getJsonObject(0)
        .getJsonObject("metadata")).isEqualTo(state);
    assertThat(api.patch("/v1/conversations/" + id, key,
        new JsonObject().put("metadata", "text")).status()).isEqualTo(422);
    assertThat(api.patch("/v1/conversations/" + id, key,
        new JsonObject().putNull("metadata")).json().getValue("metadata")).isNull();
  }

  @Test
  void cursorsPageWithoutGapsOrDuplicates() {
    JsonObject account = account();
    String key = account.getString("api_key");
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      if (i % 3 == 0) {
        reply(account, "+12125550205", "r" + i);
      } else {
        inbound(account, "+12125550205", "i" + i);
      }
      sent.add(i % 3 == 0 ? "r" + i : "i" + i);
    }
    String id = conversationWith(account, "+12125550205");
    String base = "/v1/conversations/" + id + "/messages?limit=5";

    List<String> backwards = new ArrayList<>();
    String cursor = null;
    boolean more = true;
    while (more) {
      JsonObject page = api.get(base + (cursor == null ? "" : "&before=" + q(cursor)), key).json();
      JsonArray data = page.getJsonArray("data");
      data.forEach(m -> backwards.add(((JsonObject) m).getString("body")));
      more = page.getBoolean("hasMore");
      cursor = data.getJsonObject(data.size() - 1).getString("receivedAt");
    }
    List<String> newestFirst = new ArrayList<>(sent);
    java.util.Collections.reverse(newestFirst);
    assertThat(backwards).containsExactlyElementsOf(newestFirst);

    List<String> forwards = new ArrayList<>();
    cursor = "2000-01-01T00:00:00Z";
    more = true;
    while (more) {
      JsonObject page = api.get(base + "&after=" + q(cursor), key).json();
      JsonArray data = page.getJsonArray("data");
      List<String> bodies = new ArrayList<>();
      data.forEach(m -> bodies.add(((JsonObject) m).getString("body")));
      java.util.Collections.reverse(bodies);
      forwards.addAll(bodies);
      more = page.getBoolean("hasMore");
      cursor = data.getJsonObject(0).getString("receivedAt");
    }
    assertThat(forwards).containsExactlyElementsOf(sent);

    // the number's message list pages the same way
    List<String> byNumber = new ArrayList<>();
    cursor = null;
    more = true;
    while (more) {
      JsonObject page = api.get("/v1/numbers/" + account.getString("number_id")
          + "/messages?limit=4" + (cursor == null ? "" : "&before=" + q(cursor)), key).json();
      JsonArray data = page.getJsonArray("data");
      data.forEach(m -> byNumber.add(((JsonObject) m).getString("body")));
      more = page.getBoolean("hasMore");
      cursor = data.getJsonObject(data.size() - 1).getString("receivedAt");
    }
    assertThat(new HashSet<>(byNumber)).hasSize(23);
    assertThat(byNumber).containsExactlyElementsOf(newestFirst);
    assertThat(api.get(base + "&before=yesterday", key).status()).isEqualTo(422);
  }

  @Test
  void concurrentMessagesToOneNumberStillPageExactly() throws Exception {
    JsonObject account = account();
    String key = account.getString("api_key");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> posts = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String from = "+1212555" + String.format("%04d", 300 + i % 5);
        String body = "p" + i;
        posts.add(pool.submit(() -> inbound(account, from, body)));
      }
      for (java.util.concurrent.Future<?> post : posts) {
        post.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    boolean more = true;
    while (more) {
      JsonObject page = api.get("/v1/numbers/" + account.getString("number_id")
          + "/messages?limit=7" + (cursor == null ? "" : "&before=" + q(cursor)), key).json();
      JsonArray data = page.getJsonArray("data");
      data.forEach(m -> seen.add(((JsonObject) m).getString("body")));
      more = page.getBoolean("hasMore");
      cursor = data.getJsonObject(data.size() - 1).getString("receivedAt");
    }
    assertThat(seen).hasSize(40).doesNotHaveDuplicates();
  }

  private static JsonObject context(JsonObject request) throws Exception {
    return new ConversationsApi(server.vertx).context(request.getString("accountId"),
            request.getString("conversationId"), request.getInteger("limit"),
            request.getString("beforeOrAt"), 10_000)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void contextGivesMetadataAndChronologicalHistory() throws Exception {
    JsonObject account = account();
    String key = account.getString("api_key");
    for (int i = 1; i <= 4; i++) {
      inbound(account, "+12125550206", "c" + i);
    }
    reply(account, "+12125550206", "c5");
    String id = conversationWith(account, "+12125550206");
    api.patch("/v1/conversations/" + id, key,
        new JsonObject().put("metadata", new JsonObject().put("topic", "billing")));
    JsonObject request = new JsonObject().put("accountId", account.getString("account_id"))
        .put("conversationId", id).put("limit", 3);
    JsonObject all = context(request);
    assertThat(all.getJsonObject("metadata")).isEqualTo(new JsonObject().put("topic", "billing"));
    JsonArray history = all.getJsonArray("recentHistory");
    assertThat(history.stream().map(m -> ((JsonObject) m).getString("content")))
        .containsExactly("c3", "c4", "c5");
    JsonObject last = history.getJsonObject(2);
    assertThat(last.fieldNames()).containsExactlyInAnyOrder("messageId", "content", "direction",
        "channel", "at");
    assertThat(last.getString("direction")).isEqualTo("outbound");
    assertThat(last.getString("channel")).isEqualTo("sms");

    String c2 = history.getJsonObject(0).getString("messageId");
    JsonArray upToC3 = context(request.copy().put("beforeOrAt", c2)).getJsonArray("recentHistory");
    assertThat(upToC3.stream().map(m -> ((JsonObject) m).getString("content")))
        .containsExactly("c1", "c2", "c3");
    assertThat(context(request.copy().put("limit", 0)).getJsonArray("recentHistory")).isEmpty();
    assertThatThrownBy(() -> context(request.copy().put("conversationId", "conv_nope")))
        .hasCauseInstanceOf(ApiError.class)
        .cause().satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(404));
    assertThatThrownBy(() -> context(request.copy().put("accountId", "acct_other")))
        .cause().satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(404));
  }

  @Test
  void anotherAccountsConversationsAre404() {
    JsonObject mine = account();
    JsonObject theirs = account();
    inbound(theirs, "+12125550207", "private");
    String id = conversationWith(theirs, "+12125550207");
    String key = mine.getString("api_key");
    assertThat(api.get("/v1/conversations/" + id, key).status()).isEqualTo(404);
    assertThat(api.get("/v1/conversations/" + id + "/messages", key).status()).isEqualTo(404);
    assertThat(api.patch("/v1/conversations/" + id, key,
        new JsonObject().put("metadata", new JsonObject())).status()).isEqualTo(404);
    assertThat(api.get("/v1/agents/" + theirs.getString("agent_id") + "/conversations", key)
        .status()).isEqualTo(404);
    assertThat(api.get("/v1/conversations", key).json().getInteger("total")).isZero();
    String messageId = api.get("/v1/conversations/" + id, theirs.getString("api_key")).json()
        .getJsonArray("messages").getJsonObject(0).getString("id");
    assertThat(api.post("/v1/messages/" + messageId + "/reactions", key,
        new JsonObject().put("reaction", "like")).status()).isEqualTo(404);
  }
}

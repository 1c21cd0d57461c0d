package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calls API end to end in sandbox mode: calls are carried by the simulated Retell, which
 * speaks the real protocol (signed webhooks, the LLM WebSocket) to the engine's own endpoints.
 */
class CallsApiTest {
  static TestEngine engine;
  static CustomerWebhook customer;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder().config("plans.catalog.starter.limits.concurrentCalls", 2)
        .start();
    customer = new CustomerWebhook();
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "Webhook heard: "
            + r.body().getJsonObject("data").getValue("transcript")).encode()));
  }

  @AfterAll
  static void stop() {
    customer.close();
    engine.close();
  }

  record Account(String key, String agentId, String numberId, String number) {
  }

  private Account account(boolean webhookMode) {
    JsonObject a = engine.signUp("calls-" + System.nanoTime() + "@example.com");
    Account account = new Account(a.getString("api_key"), a.getString("agent_id"),
        a.getString("number_id"), a.getString("phone_number"));
    if (webhookMode) {
      engine.api.patch("/v1/agents/" + account.agentId(), account.key(),
          new JsonObject().put("voiceMode", "webhook").put("beginMessage", "Hello from us."));
      engine.api.post("/v1/agents/" + account.agentId() + "/webhook", account.key(),
          new JsonObject().put("url", customer.url()));
    }
    return account;
  }

  private Api.Response place(Account account, JsonObject extra) {
    return engine.api.post("/v1/calls", account.key(), new JsonObject()
        .put("agentId", account.agentId()).put("toNumber", "+14155550123").mergeIn(extra));
  }

  private Api.Response say(Account account, String callId, String text) {
    return engine.api.post("/sandbox/calls/" + callId + "/say", account.key(),
        new JsonObject().put("text", text));
  }

  private JsonObject call(Account account, String callId) {
    return engine.api.get("/v1/calls/" + callId, account.key()).json();
  }

  @Test
  void outboundWebhookModeCallFromPlacementToAnalysis() {
    Account account = account(true);
    Api.Response placed = place(account, new JsonObject());
    assertThat(placed.status()).isEqualTo(200);
    JsonObject summary = placed.json();
    String callId = summary.getString("id");
    assertThat(summary.getString("status")).isEqualTo("in-progress");
    assertThat(summary.getString("fromNumber")).isEqualTo(account.number());
    assertThat(summary.getString("phoneNumberId")).isEqualTo(account.numberId());

    // the simulated phone answers; the caller speaks; the customer's webhook answers
    // answered once the greeting has been spoken over the LLM socket
    poll(() -> !engine.sql("SELECT 1 FROM call_turns WHERE call_id = ?", callId).isEmpty());
    Api.Response reply = say(account, callId, "Is my order ready?");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getString("reply")).isEqualTo("Webhook heard: Is my order ready?");

    assertThat(engine.api.post("/sandbox/calls/" + callId + "/hangup", account.key(), null)
        .status()).isEqualTo(200);
    poll(() -> call(account, callId).getString("summary") != null);
    JsonObject done = call(account, callId);
    assertThat(done.getString("status")).isEqualTo("completed");
    assertThat(done.getString("disconnectionReason")).isEqualTo("user_hangup");
    assertThat(done.getString("endedAt")).isNotNull();
    JsonArray entries = done.getJsonArray("transcripts");
    assertThat(entries.getJsonObject(0).getValue("transcript")).isNull();
    assertThat(entries.getJsonObject(0).getString("response")).isEqualTo("Hello from us.");
    assertThat(entries).extracting(e -> ((JsonObject) e).getString("transcript"))
        .contains("Is my order ready?");
    assertThat(done.getString("lastTranscriptSnippet"))
        .isEqualTo("Webhook heard: Is my order ready?");
    assertThat(engine.sql("SELECT 1 FROM events WHERE type = 'agent.call_ended' "
        + "AND data->>'callId' = ?", callId)).hasSize(1);

    // the webhook dispatcher delivers the recorded event to the customer
    poll(() -> customer.received.stream().anyMatch(r ->
        "agent.call_ended".equals(r.body().getString("event"))
            && callId.equals(r.body().getJsonObject("data").getString("callId"))));
    JsonObject ended = customer.received.stream()
        .filter(r -> "agent.call_ended".equals(r.body().getString("event"))
            && callId.equals(r.body().getJsonObject("data").getString("callId")))
        .findFirst().orElseThrow().body();
    assertThat(ended.getString("channel")).isEqualTo("voice");
    assertThat(ended.getJsonObject("data").getString("status")).isEqualTo("completed");
    assertThat(ended.getJsonObject("data").getJsonArray("transcript").getJsonObject(1))
        .isEqualTo(new JsonObject().put("role", "user").put("content", "Is my order ready?"));
  }

  @Test
  void inboundHostedCallIsAnsweredByTheBuiltInResponderUntilGoodbye() {
    Account account = account(false);
    Api.Response dialed = engine.api.post("/sandbox/calls", account.key(), new JsonObject()
        .put("from", "+14155550142").put("to", account.number()));
    assertThat(dialed.status()).isEqualTo(200);
    String callId = dialed.json().getString("callId");

    assertThat(say(account, callId, "Hello there").json().getString("reply"))
        .isEqualTo("Hello! How can I help you today?");
    JsonObject bye = say(account, callId, "OK, bye").json();
    assertThat(bye.getString("reply")).isEqualTo("Thanks for calling. Goodbye!");
    assertThat(bye.getBoolean("endCall")).isTrue();

    poll(() -> "completed".equals(call(account, callId).getString("status")));
    JsonObject done = call(account, callId);
    assertThat(done.getString("direction")).isEqualTo("inbound");
    assertThat(done.getString("fromNumber")).isEqualTo("+14155550142");
    assertThat(done.getString("disconnectionReason")).isEqualTo("agent_hangup");
    JsonArray entries = engine.api.get("/v1/calls/" + callId + "/transcript", account.key())
        .json().getJsonArray("transcripts");
    // the starter agent's greeting, then two exchanges
    assertThat(entries).hasSize(3);
    assertThat(entries.getJsonObject(0).getValue("transcript")).isNull();
    assertThat(entries.getJsonObject(2).getString("transcript")).isEqualTo("OK, bye");
    assertThat(entries.getJsonObject(2).getString("response"))
        .isEqualTo("Thanks for calling. Goodbye!");
  }

  @Test
  void aPerCallPromptUsesTheBuiltInLlmInsteadOfTheWebhook() {
    Account account = account(true);
    customer.received.clear();
    String callId = place(account, new JsonObject().put("systemPrompt", "Sell lemonade.")
        .put("initialGreeting", "Lemonade here!")).json().getString("id");
    poll(() -> say(account, callId, "hi").status() == 200);
    assertThat(say(account, callId, "what do you sell").json().getString("reply"))
        .isEqualTo("You said: what do you sell. How else can I help?");
    assertThat(customer.received).noneMatch(r -> callId.equals(
        r.body().getJsonObject("data").getString("callId")));
    poll(() -> !call(account, callId).getJsonArray("transcripts").isEmpty());
    JsonArray entries = call(account, callId).getJsonArray("transcripts");
    assertThat(entries.getJsonObject(0).getString("response")).isEqualTo("Lemonade here!");
  }

  @Test
  void theConcurrentCallLimitIsEnforcedEvenUnderARace() {
    Account account = account(true);
    List<CompletableFuture<Api.Response>> attempts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      attempts.add(CompletableFuture.supplyAsync(() -> place(account, new JsonObject())));
    }
    List<Api.Response> responses = attempts.stream().map(CompletableFuture::join).toList();
    assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(2);
    List<Api.Response> refused = responses.stream().filter(r -> r.status() != 200).toList();
    assertThat(refused).hasSize(3).allMatch(r -> r.status() == 429);
    assertThat((String) refused.get(0).detail()).contains("Concurrent call limit").contains("2");

    // ending one frees a slot
    String live = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow()
        .json().getString("id");
    poll(() -> engine.api.post("/v1/calls/" + live + "/end", account.key(), null).status() == 200);
    poll(() -> !"in-progress".equals(call(account, live).getString("status")));
    assertThat(place(account, new JsonObject()).status()).isEqualTo(200);
    assertThat(engine.api.post("/v1/calls/" + live + "/end", account.key(), null).status())
        .isEqualTo(409);
  }

  @Test
  void webCallsGetAShortLivedAccessToken() {
    Account account = account(true);
    Api.Response web = engine.api.post("/v1/calls/web", account.key(),
        new JsonObject().put("agentId", account.agentId())
            .put("metadata", new JsonObject().put("customer", "c-1")));
    assertThat(web.status()).isEqualTo(200);
    assertThat(web.json().getString("accessToken")).isNotBlank();
    OffsetDateTime expires = OffsetDateTime.parse(web.json().getString("expiresAt"));
    assertThat(Duration.between(OffsetDateTime.now(), expires).getSeconds()).isBetween(20L, 31L);
    JsonObject listed = engine.api.get("/v1/calls?type=web", account.key()).json();
    assertThat(listed.getInteger("total")).isEqualTo(1);
    assertThat(listed.getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo(web.json().getString("callId"));
  }

  @Test
  void listsFilterAndPage() {
    Account account = account(true);
    String first = place(account, new JsonObject().put("toNumber", "+14155550901")).json()
        .getString("id");
    String second = place(account, new JsonObject().put("toNumber", "+14155550902")).json()
        .getString("id");
    JsonObject all = engine.api.get("/v1/calls?limit=1", account.key()).json();
    assertThat(all.getInteger("total")).isEqualTo(2);
    assertThat(all.getBoolean("hasMore")).isTrue();
    assertThat(all.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(second);
    assertThat(engine.api.get("/v1/calls?offset=1", account.key()).json().getJsonArray("data")
        .getJsonObject(0).getString("id")).isEqualTo(first);
    assertThat(engine.api.get("/v1/calls?search=0901", account.key()).json()
        .getJsonArray("data")).extracting(c -> ((JsonObject) c).getString("id"))
        .containsExactly(first);
    assertThat(engine.api.get("/v1/calls?direction=inbound", account.key()).json()
        .getInteger("total")).isZero();
    assertThat(engine.api.get("/v1/calls?status=in-progress&direction=outbound&type=pstn",
        account.key()).json().getInteger("total")).isEqualTo(2);
    assertThat(engine.api.get("/v1/agents/" + account.agentId() + "/calls", account.key()).json()
        .getInteger("total")).isEqualTo(2);
    assertThat(engine.api.get("/v1/numbers/" + account.numberId() + "/calls", account.key())
        .json().getInteger("total")).isEqualTo(2);
    assertThat(engine.api.get("/v1/calls?status=ringing", account.key()).status()).isEqualTo(422);
    assertThat(engine.api.get("/v1/calls?limit=101", account.key()).status()).isEqualTo(422);
  }

  @Test
  void badInputIsA4xxWithDetail() {
    Account account = account(true);
    Api.Response invalid = engine.api.post("/v1/calls", account.key(),
        new JsonObject().put("agentId", account.agentId()).put("toNumber", "555-0123"));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.json().getJsonArray("detail").getJsonObject(0).getJsonArray("loc"))
        .isEqualTo(new JsonArray().add("body").add("toNumber"));
    assertThat(engine.api.post("/v1/calls", account.key(), new JsonObject()).status())
        .isEqualTo(422);
    Api.Response foreignNumber = place(account, new JsonObject().put("fromNumberId", "num_nope"));
    assertThat(foreignNumber.status()).isEqualTo(400);
    assertThat((String) foreignNumber.detail()).contains("fromNumberId");
  }

  @Test
  void anotherAccountsCallsAgentsAndNumbersAre404() {
    Account owner = account(true);
    String callId = place(owner, new JsonObject()).json().getString("id");
    Account other = account(true);
    for (String path : List.of("/v1/calls/" + callId, "/v1/calls/" + callId + "/transcript",
        "/v1/agents/" + owner.agentId() + "/calls", "/v1/numbers/" + owner.numberId() + "/calls")) {
      assertThat(engine.api.get(path, other.key()).status()).as(path).isEqualTo(404);
    }
    assertThat(engine.api.post("/v1/calls/" + callId + "/end", other.key(), null).status())
        .isEqualTo(404);
    Api.Response borrowed = engine.api.post("/v1/calls", other.key(), new JsonObject()
        .put("agentId", owner.agentId()).put("toNumber", "+14155550123"));
    assertThat(borrowed.status()).isEqualTo(404);
    assertThat(borrowed.detail()).isEqualTo("Agent not found");
    assertThat(engine.api.get("/v1/calls", other.key()).json().getInteger("total")).isZero();
  }
}

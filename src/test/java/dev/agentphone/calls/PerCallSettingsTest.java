package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code POST /v1/calls} and {@code /v1/calls/web} take per call beyond the basics —
 * {@code variables}, {@code modelTier}, {@code callScreeningIdentity/Purpose} — heard through the
 * sandbox's simulated phone, and every mistake refused naming its field.
 */
class PerCallSettingsTest {
  static TestEngine engine;
  static CustomerWebhook customer;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    customer = new CustomerWebhook();
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "Webhook here.").encode()));
  }

  @AfterAll
  static void stop() {
    customer.close();
    engine.close();
  }

  record Account(String key, String agentId) {
  }

  private static Account account() {
    JsonObject a = engine.signUp("per-call-" + System.nanoTime() + "@example.com");
    return new Account(a.getString("api_key"), a.getString("agent_id"));
  }

  private static Account webhookAccount() {
    Account account = account();
    engine.api.patch("/v1/agents/" + account.agentId(), account.key(),
        new JsonObject().put("voiceMode", "webhook").put("beginMessage", "Hi {{name}}."));
    engine.api.post("/v1/agents/" + account.agentId() + "/webhook", account.key(),
        new JsonObject().put("url", customer.url()));
    return account;
  }

  private static Api.Response place(Account account, JsonObject extra) {
    return engine.api.post("/v1/calls", account.key(), new JsonObject()
        .put("agentId", account.agentId()).put("toNumber", "+14155550123").mergeIn(extra));
  }

  /** What the agent said first on the call, once the callee has answered. */
  private static String greeting(Account account, String callId) {
    poll(() -> engine.api.post("/sandbox/calls/" + callId + "/say", account.key(),
        new JsonObject().put("text", "Hi")).status() == 200);
    poll(() -> !engine.api.get("/v1/calls/" + callId, account.key()).json()
        .getJsonArray("transcripts").isEmpty());
    return engine.api.get("/v1/calls/" + callId, account.key()).json().getJsonArray("transcripts")
        .getJsonObject(0).getString("response");
  }

  @Test
  void variablesFillTheGreetingOfAHostedAgentsCall() {
    Account account = account();
    Api.Response placed = place(account, new JsonObject()
        .put("initialGreeting", "Hello {{name}}{{title}}, this is Acme about {{order}}.")
        .put("variables", new JsonObject().put("name", "Ada").put("title", (String) null)));
    assertThat(placed.status()).isEqualTo(200);
    assertThat(greeting(account, placed.json().getString("id")))
        .isEqualTo("Hello Ada, this is Acme about {{order}}.");
  }

  @Test
  void variablesFillTheAgentsOwnBeginMessage() {
    Account account = account();
    assertThat(engine.api.patch("/v1/agents/" + account.agentId(), account.key(),
        new JsonObject().put("beginMessage", "Good morning {{name}}!")).status()).isEqualTo(200);
    String callId = place(account, new JsonObject()
        .put("variables", new JsonObject().put("name", "Grace"))).json().getString("id");
    assertThat(greeting(account, callId)).isEqualTo("Good morning Grace!");
  }

  @Test
  void aWebhookAgentTakesVariablesOnlyWithAPerCallPrompt() {
    Account account = webhookAccount();
    Api.Response refused = place(account, new JsonObject()
        .put("variables", new JsonObject().put("name", "Ada")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat((String) refused.detail()).contains("systemPrompt").contains("webhook mode");
    assertThat(engine.api.get("/v1/calls", account.key()).json().getInteger("total"))
        .as("nothing was placed").isZero();

    // with a per-call prompt the engine speaks for the agent: the agent's begin message, filled
    String callId = place(account, new JsonObject().put("systemPrompt", "Sell {{product}}.")
        .put("variables", new JsonObject().put("name", "Ada").put("product", "tea")))
        .json().getString("id");
    assertThat(greeting(account, callId)).isEqualTo("Hi Ada.");
    assertThat(engine.sql("SELECT system_prompt FROM calls WHERE id = ?", callId).get(0))
        .containsEntry("system_prompt", "Sell tea.");
    // empty variables are no variables
    assertThat(place(account, new JsonObject().put("variables", new JsonObject())).status())
        .isEqualTo(200);
  }

  @Test
  void aWebCallTakesVariablesForAHostedAgentOnly() {
    Account hosted = account();
    assertThat(engine.api.post("/v1/calls/web", hosted.key(), new JsonObject()
        .put("agentId", hosted.agentId()).put("variables", new JsonObject().put("name", "Ada")))
        .status()).isEqualTo(200);
    Account webhook = webhookAccount();
    Api.Response refused = engine.api.post("/v1/calls/web", webhook.key(), new JsonObject()
        .put("agentId", webhook.agentId()).put("variables", new JsonObject().put("name", "Ada")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat((String) refused.detail()).contains("hosted-mode");
  }

  @Test
  void modelTierAndScreeningAreKeptWithTheCall() {
    Account account = account();
    JsonObject call = place(account, new JsonObject().put("systemPrompt", "Confirm the visit.")
        .put("modelTier", "max").put("callScreeningIdentity", "Dr. Lee's office")
        .put("callScreeningPurpose", "confirming tomorrow's visit")).json();
    JsonObject detail = engine.api.get("/v1/calls/" + call.getString("id"), account.key()).json();
    assertThat(detail.getString("modelTier")).isEqualTo("max");
    assertThat(detail.getString("callScreeningIdentity")).isEqualTo("Dr. Lee's office");
    assertThat(detail.getString("callScreeningPurpose")).isEqualTo("confirming tomorrow's visit");
    assertThat(engine.sql("SELECT call_screening_identity, call_screening_purpose FROM calls "
        + "WHERE id = ?", call.getString("id")).get(0))
        .containsEntry("call_screening_identity", "Dr. Lee's office")
        .containsEntry("call_screening_purpose", "confirming tomorrow's visit");

    Api.Response noPrompt = place(account, new JsonObject().put("modelTier", "turbo"));
    assertThat(noPrompt.status()).isEqualTo(400);
    assertThat((String) noPrompt.detail()).contains("modelTier").contains("systemPrompt");
  }

  @Test
  void everyBadPerCallFieldIsA422NamingIt() {
    Account account = account();
    JsonObject tooMany = new JsonObject();
    IntStream.range(0, 101).forEach(i -> tooMany.put("v" + i, "x"));
    List<JsonObject> bad = List.of(
        new JsonObject().put("variables", "name=Ada"),
        new JsonObject().put("variables", new JsonObject().put("1st", "x")),
        new JsonObject().put("variables", new JsonObject().put("first-name", "x")),
        new JsonObject().put("variables", new JsonObject().put("system_prompt", "x")),
        new JsonObject().put("variables", new JsonObject().put("n", 5)),
        new JsonObject().put("variables", new JsonObject().put("n", new JsonObject())),
        new JsonObject().put("variables", new JsonObject().put("n", "x".repeat(10_001))),
        new JsonObject().put("variables", tooMany),
        new JsonObject().put("modelTier", "fast").put("systemPrompt", "x"),
        new JsonObject().put("callScreeningIdentity", 7),
        new JsonObject().put("callScreeningPurpose", "x".repeat(501)),
        new JsonObject().put("waitForCompletion", "yes"),
        new JsonObject().put("maxWaitSeconds", 5),
        new JsonObject().put("maxWaitSeconds", 601),
        new JsonObject().put("maxWaitSeconds", 30.5));
    for (JsonObject extra : bad) {
      Api.Response refused = place(account, extra);
      assertThat(refused.status()).as(extra.encode()).isEqualTo(422);
      JsonObject error = refused.json().getJsonArray("detail").getJsonObject(0);
      String field = extra.fieldNames().stream().filter(f -> !f.equals("systemPrompt"))
          .findFirst().orElseThrow();
      assertThat(error.getJsonArray("loc")).as(extra.encode())
          .isEqualTo(new JsonArray().add("body").add(field));
    }
    Api.Response web = engine.api.post("/v1/calls/web", account.key(), new JsonObject()
        .put("agentId", account.agentId()).put("variables", new JsonObject().put("9", "x")));
    assertThat(web.status()).isEqualTo(422);
    assertThat(engine.api.get("/v1/calls", account.key()).json().getInteger("total"))
        .as("nothing was placed").isZero();
  }
}

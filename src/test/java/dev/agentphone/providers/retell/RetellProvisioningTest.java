package dev.agentphone.providers.retell;

import dev.agentphone.support.Api;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Agents provisioned in Retell, against a fake of Retell's REST API at the network edge. */
class RetellProvisioningTest {
  static FakeRetellApi retell;
  static TestEngine engine;
  static String key;

  @BeforeAll
  static void start() {
    retell = new FakeRetellApi();
    engine = TestEngine.builder().config(Map.of("retell.apiKey", "key_test_retell",
        "retell.baseUrl", retell.baseUrl(), "retell.requestTimeoutMillis", 2000)).start();
    key = engine.newKey();
    // the signup's number is imported into Retell in the background; let it finish first
    poll(() -> !retell.to("/import-phone-number").isEmpty());
  }

  @AfterAll
  static void stop() {
    engine.close();
    retell.close();
  }

  @BeforeEach
  void reset() {
    retell.heal();
    retell.requests.clear();
  }

  private Api.Response create(JsonObject agent) {
    return engine.api.post("/v1/agents", key, agent);
  }

  @Test
  void hostedAgentGetsAnLlmAndAnAgentUsingIt() {
    Api.Response created = create(new JsonObject().put("name", "Front desk")
        .put("voiceMode", "hosted").put("systemPrompt", "Be kind.").put("beginMessage", "Hi!")
        .put("modelTier", "turbo"));
    assertThat(created.status()).isEqualTo(200);

    FakeRetellApi.Request llm = retell.to("/create-retell-llm").get(0);
    assertThat(llm.authorization()).isEqualTo("Bearer key_test_retell");
    assertThat(llm.body().getString("general_prompt")).isEqualTo("Be kind.");
    assertThat(llm.body().getString("begin_message")).isEqualTo("Hi!");
    assertThat(llm.body().getString("model")).isEqualTo("gpt-4o-mini");
    JsonObject agent = retell.to("/create-agent").get(0).body();
    assertThat(agent.getJsonObject("response_engine").getString("type")).isEqualTo("retell-llm");
    assertThat(agent.getJsonObject("response_engine").getString("llm_id")).startsWith("llm_fake");
    assertThat(agent.getString("voice_id")).isEqualTo("11labs-Adrian");
    assertThat(agent.getString("webhook_url")).isEqualTo(engine.api.base() + "/webhooks/retell");
    assertThat(engine.sql("SELECT voice_mode, retell_llm_id FROM voice_agents WHERE agent_id = ?",
        created.json().getString("id")).get(0)).containsEntry("voice_mode", "hosted");
  }

  @Test
  void webhookAgentPointsRetellAtOurLlmSocket() {
    Api.Response created = create(new JsonObject().put("name", "Bridge").put("voiceMode", "webhook"));
    assertThat(created.status()).isEqualTo(200);
    assertThat(retell.to("/create-retell-llm")).isEmpty();
    JsonObject engineSpec = retell.to("/create-agent").get(0).body().getJsonObject("response_engine");
    assertThat(engineSpec.getString("type")).isEqualTo("custom-llm");
    // the URL carries the agent's secret: Retell appends /{call_id} to it
    assertThat(engineSpec.getString("llm_websocket_url"))
        .matches("ws://localhost:" + engine.port + "/webhooks/retell/llm/"
            + created.json().getString("id") + "/[A-Za-z0-9_-]{43}");
  }

  @Test
  void aFailedAgentCreateLeavesNothingBehind() {
    long before = count();
    retell.fail("/create-agent", 500);
    Api.Response created = create(new JsonObject().put("name", "Doomed").put("voiceMode", "hosted"));

    assertThat(created.status()).isEqualTo(502);
    assertThat((String) created.detail()).contains("Voice provider error")
        .contains("Retell answered 500: simulated failure 500");
    assertThat(count()).isEqualTo(before);
    // the LLM created first is deleted again
    assertThat(retell.to("/create-retell-llm")).hasSize(1);
    assertThat(retell.to("/delete-retell-llm/")).hasSize(1);
  }

  @Test
  void anUnreachableProviderIsA502NotA500() {
    try (TestEngine offline = TestEngine.builder().config(Map.of("retell.apiKey", "k",
        "retell.baseUrl", "http://localhost:" + TestEngine.freePort(),
        "retell.requestTimeoutMillis", 2000)).start()) {
      String otherKey = offline.newKey();
      Api.Response created = offline.api.post("/v1/agents", otherKey,
          new JsonObject().put("name", "Nowhere"));
      assertThat(created.status()).isEqualTo(502);
      assertThat((String) created.detail()).contains("did not answer");
      assertThat(offline.api.get("/v1/agents/voices", otherKey).status()).isEqualTo(502);
    }
  }

  @Test
  void switchingToHostedCreatesAnLlmAndRepointsTheAgent() {
    String id = create(new JsonObject().put("name", "Switch").put("voiceMode", "webhook"))
        .json().getString("id");
    String retellAgent = (String) engine.sql("SELECT retell_agent_id FROM voice_agents "
        + "WHERE agent_id = ?", id).get(0).get("retell_agent_id");
    Api.Response updated = engine.api.patch("/v1/agents/" + id, key,
        new JsonObject().put("voiceMode", "hosted").put("systemPrompt", "Now hosted."));

    assertThat(updated.status()).isEqualTo(200);
    assertThat(retell.to("/create-retell-llm")).hasSize(1);
    FakeRetellApi.Request update = retell.to("/update-agent/").get(0);
    assertThat(update.path()).isEqualTo("/update-agent/" + retellAgent);
    assertThat(update.body().getJsonObject("response_engine").getString("type"))
        .isEqualTo("retell-llm");

    // and back: the LLM is no longer needed and is deleted
    retell.requests.clear();
    assertThat(engine.api.patch("/v1/agents/" + id, key,
        new JsonObject().put("voiceMode", "webhook")).status()).isEqualTo(200);
    assertThat(retell.to("/update-agent/").get(0).body().getJsonObject("response_engine")
        .getString("type")).isEqualTo("custom-llm");
    poll(() -> !retell.to("/delete-retell-llm/").isEmpty());
  }

  @Test
  void aFailedUpdateKeepsTheOldAgent() {
    String id = create(new JsonObject().put("name", "Keep").put("voiceMode", "webhook"))
        .json().getString("id");
    retell.fail("/update-agent/", 422);
    Api.Response updated = engine.api.patch("/v1/agents/" + id, key,
        new JsonObject().put("name", "Renamed"));
    assertThat(updated.status()).isEqualTo(502);
    assertThat(engine.api.get("/v1/agents/" + id, key).json().getString("name")).isEqualTo("Keep");
  }

  @Test
  void deleteRemovesTheRetellObjectsAndAFailureKeepsTheAgent() {
    String id = create(new JsonObject().put("name", "Gone").put("voiceMode", "hosted"))
        .json().getString("id");
    retell.fail("/delete-agent/", 503);
    assertThat(engine.api.delete("/v1/agents/" + id, key).status()).isEqualTo(502);
    assertThat(engine.api.get("/v1/agents/" + id, key).status()).isEqualTo(200);

    retell.heal();
    retell.requests.clear();
    assertThat(engine.api.delete("/v1/agents/" + id, key).status()).isEqualTo(200);
    assertThat(retell.to("/delete-agent/")).hasSize(1);
    assertThat(retell.to("/delete-retell-llm/")).hasSize(1);
    assertThat(engine.api.get("/v1/agents/" + id, key).status()).isEqualTo(404);
  }

  @Test
  void voicesComeFromRetell() {
    Api.Response voices = engine.api.get("/v1/agents/voices", key);
    assertThat(voices.status()).isEqualTo(200);
    assertThat(voices.json().getJsonArray("data").getJsonObject(0).getString("voice_id"))
        .isEqualTo("11labs-Fake");
  }

  @Test
  void callPlacementFailureIsA502AndTheCallIsMarkedFailed() {
    JsonObject account = engine.signUp("placement-" + System.nanoTime() + "@example.com");
    String otherKey = account.getString("api_key");
    poll(() -> retell.to("/import-phone-number").stream().anyMatch(r ->
        r.body().getString("phone_number").equals(account.getString("phone_number"))));
    retell.fail("/v2/create-phone-call", 400);
    Api.Response call = engine.api.post("/v1/calls", otherKey, new JsonObject()
        .put("agentId", account.getString("agent_id")).put("toNumber", "+14155550123"));
    assertThat(call.status()).isEqualTo(502);
    assertThat((String) call.detail()).contains("could not place the call");
    JsonObject list = engine.api.get("/v1/calls", otherKey).json();
    assertThat(list.getJsonArray("data").getJsonObject(0).getString("status")).isEqualTo("failed");

    // the failed call does not count against the concurrent-call limit; a good one goes out
    retell.heal();
    Api.Response placed = engine.api.post("/v1/calls", otherKey, new JsonObject()
        .put("agentId", account.getString("agent_id")).put("toNumber", "+14155550123"));
    assertThat(placed.status()).isEqualTo(200);
    JsonObject body = retell.to("/v2/create-phone-call").get(1).body();
    assertThat(body.getString("from_number")).isEqualTo(account.getString("phone_number"));
    assertThat(body.getString("to_number")).isEqualTo("+14155550123");
    assertThat(body.getJsonObject("metadata").getString("agentphone_call_id"))
        .isEqualTo(placed.json().getString("id"));
  }

  private long count() {
    return (Long) engine.sql("SELECT count(*) AS n FROM agents").get(0).get("n");
  }

  static void poll(java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met in time");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

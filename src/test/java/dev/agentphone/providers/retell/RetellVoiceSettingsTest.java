package dev.agentphone.providers.retell;

import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent's voice settings as Retell is told them, against a fake of Retell's REST API: the
 * Retell agent's own fields in both modes, and in hosted mode the LLM's tools, each pointing at
 * the engine's secret tool endpoint.
 */
class RetellVoiceSettingsTest {
  static FakeRetellApi retell;
  static TestEngine engine;
  static String key;

  @BeforeAll
  static void start() {
    retell = new FakeRetellApi();
    engine = TestEngine.builder().config(Map.of("retell.apiKey", "key_test_retell",
        "retell.baseUrl", retell.baseUrl(), "retell.requestTimeoutMillis", 2000)).start();
    key = engine.newKey();
    RetellProvisioningTest.poll(() -> !retell.to("/import-phone-number").isEmpty());
  }

  @AfterAll
  static void stop() {
    engine.close();
    retell.close();
  }

  @BeforeEach
  void reset() {
    retell.requests.clear();
  }

  private static final JsonObject SETTINGS = new JsonObject()
      .put("voicemailMessage", "Sorry I missed you, call us back.")
      .put("callScreeningIdentity", "Acme Support").put("callScreeningPurpose", "your order")
      .put("ambientSound", "office").put("denoisingMode", "noise-and-background-speech-cancellation")
      .put("maxSilenceMs", 30000).put("voiceSpeed", 1.2).put("interruptionSensitivity", 0.4)
      .put("enableBackchannel", false).put("language", "fr-CA").put("sttMode", "accurate");

  private static JsonObject orderTool() {
    return new JsonObject().put("name", "order_status").put("description", "Looks up an order")
        .put("url", "https://tools.example.com/orders").put("method", "GET")
        .put("headers", new JsonObject().put("Authorization", "Bearer secret-of-the-customer"))
        .put("parameters", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("order", new JsonObject().put("type", "string")))
            .put("required", new JsonArray().add("order")))
        .put("timeoutMs", 8000).put("speakDuringExecution", true)
        .put("executionMessage", "Let me look that up.");
  }

  private static void assertAgentFields(JsonObject body) {
    assertThat(body.getString("language")).isEqualTo("fr-CA");
    assertThat(body.getDouble("voice_speed")).isEqualTo(1.2);
    assertThat(body.getDouble("interruption_sensitivity")).isEqualTo(0.4);
    assertThat(body.getBoolean("enable_backchannel")).isFalse();
    assertThat(body.getString("ambient_sound")).isEqualTo("call-center");
    assertThat(body.getString("denoising_mode"))
        .isEqualTo("noise-and-background-speech-cancellation");
    assertThat(body.getString("stt_mode")).isEqualTo("accurate");
    assertThat(body.getInteger("end_call_after_silence_ms")).isEqualTo(30000);
    assertThat(body.getJsonObject("voicemail_option")).isEqualTo(new JsonObject().put("action",
        new JsonObject().put("type", "static_text").put("text", "Sorry I missed you, call us back.")));
  }

  @Test
  void aHostedAgentsSettingsGoToItsRetellAgentAndItsToolsToTheLlm() {
    String id = engine.api.post("/v1/agents", key, SETTINGS.copy().put("name", "Orders")
        .put("voiceMode", "hosted").put("systemPrompt", "Help with orders.")
        .put("customTools", new JsonArray().add(orderTool()))).json().getString("id");

    JsonObject agent = retell.to("/create-agent").get(0).body();
    assertAgentFields(agent);
    assertThat(agent.getJsonObject("call_screening_option")).isEqualTo(new JsonObject()
        .put("agent_identity", "Acme Support").put("call_purpose", "your order"));

    JsonArray tools = retell.to("/create-retell-llm").get(0).body().getJsonArray("general_tools");
    assertThat(tools).extracting(t -> ((JsonObject) t).getString("name"))
        .containsExactly("order_status", "send_message", "read_messages");
    JsonObject order = tools.getJsonObject(0);
    assertThat(order.getString("type")).isEqualTo("custom");
    assertThat(order.getString("description")).isEqualTo("Looks up an order");
    // Retell calls the engine, which runs the tool: the customer's URL and headers stay here
    assertThat(order.getString("url")).matches(engine.api.base() + "/webhooks/retell/tools/"
        + id + "/[A-Za-z0-9_-]{43}/order_status");
    assertThat(order.encode()).doesNotContain("tools.example.com").doesNotContain("secret-of");
    assertThat(order.getString("method")).isEqualTo("POST");
    assertThat(order.getJsonObject("parameters")).isEqualTo(orderTool().getJsonObject("parameters"));
    assertThat(order.getBoolean("speak_during_execution")).isTrue();
    assertThat(order.getBoolean("speak_after_execution")).isTrue();
    assertThat(order.getString("execution_message_description")).isEqualTo("Let me look that up.");
    assertThat(order.getString("execution_message_type")).isEqualTo("static_text");
    // Retell waits longer than the tool may take, so the engine answers first
    assertThat(order.getInteger("timeout_ms")).isGreaterThan(8000);
    assertThat(tools.getJsonObject(1).getJsonObject("parameters").getJsonArray("required"))
        .containsExactly("body");
  }

  @Test
  void aWebhookAgentGetsTheSettingsRetellAppliesButNoToolsAndNoScreeningPrompt() {
    engine.api.post("/v1/agents", key, SETTINGS.copy().put("name", "Bridge")
        .put("voiceMode", "webhook").put("customTools", new JsonArray().add(orderTool())));
    assertThat(retell.to("/create-retell-llm")).isEmpty();
    JsonObject agent = retell.to("/create-agent").get(0).body();
    assertAgentFields(agent);
    assertThat(agent.getValue("call_screening_option")).isNull();
  }

  @Test
  void defaultsAreSentAsSuchAndNoneMeansNoAmbience() {
    engine.api.post("/v1/agents", key, new JsonObject().put("name", "Plain")
        .put("voiceMode", "hosted").put("enableMessaging", false));
    JsonObject agent = retell.to("/create-agent").get(0).body();
    assertThat(agent.containsKey("ambient_sound")).isTrue();
    assertThat(agent.getValue("ambient_sound")).isNull();
    assertThat(agent.getValue("voicemail_option")).isNull();
    assertThat(agent.getValue("call_screening_option")).isNull();
    assertThat(agent.getString("language")).isEqualTo("en-US");
    assertThat(agent.getDouble("voice_speed")).isEqualTo(1.0);
    assertThat(agent.getDouble("interruption_sensitivity")).isEqualTo(0.8);
    assertThat(agent.getBoolean("enable_backchannel")).isTrue();
    assertThat(agent.getInteger("end_call_after_silence_ms")).isEqualTo(600000);
    assertThat(agent.getString("denoising_mode")).isEqualTo("noise-cancellation");
    assertThat(retell.to("/create-retell-llm").get(0).body().getJsonArray("general_tools"))
        .isEmpty();
  }

  @Test
  void changesReachRetellAndEveryAmbienceHasItsRetellName() {
    String id = engine.api.post("/v1/agents", key, new JsonObject().put("name", "Change")
        .put("voiceMode", "hosted").put("customTools", new JsonArray().add(orderTool())))
        .json().getString("id");
    String llm = retell.to("/create-agent").get(0).body().getJsonObject("response_engine")
        .getString("llm_id");
    for (List<String> pair : List.of(List.of("coffee-shop", "coffee-shop"),
        List.of("outdoor", "summer-outdoor"), List.of("office", "call-center"))) {
      retell.requests.clear();
      assertThat(engine.api.patch("/v1/agents/" + id, key,
          new JsonObject().put("ambientSound", pair.get(0))).status()).isEqualTo(200);
      assertThat(retell.to("/update-agent/").get(0).body().getString("ambient_sound"))
          .isEqualTo(pair.get(1));
    }

    retell.requests.clear();
    engine.api.patch("/v1/agents/" + id, key, new JsonObject().put("customTools",
        new JsonArray()).put("enableMessaging", false).put("voiceSpeed", 0.6)
        .putNull("ambientSound"));
    assertThat(retell.to("/update-retell-llm/" + llm).get(0).body().getJsonArray("general_tools"))
        .isEmpty();
    JsonObject agent = retell.to("/update-agent/").get(0).body();
    assertThat(agent.getDouble("voice_speed")).isEqualTo(0.6);
    assertThat(agent.getValue("ambient_sound")).isNull();
    assertThat(retell.llms.get(llm).getJsonArray("general_tools")).isEmpty();
  }
}

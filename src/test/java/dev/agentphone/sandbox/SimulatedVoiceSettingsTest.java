package dev.agentphone.sandbox;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The voice settings at work in simulated calls (sandbox mode): the simulated Retell does what
 * Retell does with the agent it was given — calls a hosted agent's tools through the engine's
 * tool endpoint, ends a silent call, leaves the voicemail message, answers call screeners.
 */
class SimulatedVoiceSettingsTest {
  static TestEngine engine;
  static CustomerWebhook toolServer;

  String key;
  String agentId;
  String number;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    toolServer = new CustomerWebhook();
  }

  @AfterAll
  static void stop() {
    toolServer.close();
    engine.close();
  }

  @BeforeEach
  void account() {
    JsonObject account = engine.signUp("simulated-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    agentId = account.getString("agent_id");
    number = account.getString("phone_number");
    toolServer.received.clear();
  }

  private Api.Response patchAgent(JsonObject changes) {
    return engine.api.patch("/v1/agents/" + agentId, key, changes);
  }

  private String dial() {
    Api.Response dialed = engine.api.post("/sandbox/calls", key, new JsonObject()
        .put("from", "+14155550142").put("to", number));
    assertThat(dialed.status()).as(dialed.body()).isEqualTo(200);
    return dialed.json().getString("callId");
  }

  private Api.Response say(String callId, String text) {
    return engine.api.post("/sandbox/calls/" + callId + "/say", key,
        new JsonObject().put("text", text));
  }

  private JsonObject call(String callId) {
    return engine.api.get("/v1/calls/" + callId, key).json();
  }

  private List<String> turns(String callId) {
    return engine.sql("SELECT role || ': ' || content AS turn FROM call_turns WHERE call_id = ? "
        + "ORDER BY seq", callId).stream().map(r -> (String) r.get("turn")).toList();
  }

  @Test
  void aHostedAgentCallsTheToolTheCallerAsksForAndSpeaksItsAnswer() {
    toolServer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("result", "Order " + r.body().getJsonObject("args")
            .getString("order") + " ships tomorrow").encode()));
    assertThat(patchAgent(new JsonObject().put("customTools", new JsonArray().add(new JsonObject()
        .put("name", "order_status").put("description", "Looks up an order")
        .put("url", toolServer.url("/tools/orders"))
        .put("headers", new JsonObject().put("X-Api-Key", "k-1"))
        .put("parameters", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("order", new JsonObject().put("type", "string"))))
        .put("speakDuringExecution", true).put("executionMessage", "One moment, checking."))))
        .status()).isEqualTo(200);
    String callId = dial();

    JsonObject reply = say(callId, "Can you check the order status for order A-17?").json();
    assertThat(reply.getString("reply"))
        .isEqualTo("One moment, checking. Order A-17 ships tomorrow");
    JsonObject toolCall = reply.getJsonArray("toolCalls").getJsonObject(0);
    assertThat(toolCall.getString("name")).isEqualTo("order_status");
    assertThat(toolCall.getJsonObject("args")).isEqualTo(new JsonObject().put("order", "A-17"));

    // the tool was called by the engine, with its headers, for this call
    CustomerWebhook.Received request = toolServer.received.get(0);
    assertThat(request.headers()).containsEntry("x-api-key", "k-1");
    assertThat(request.body().getJsonObject("args")).isEqualTo(new JsonObject()
        .put("order", "A-17"));
    assertThat(request.body().getJsonObject("call").getString("id")).isEqualTo(callId);

    // a sentence naming no tool calls none
    assertThat(say(callId, "Thanks a lot").json().getJsonArray("toolCalls")).isEmpty();
    assertThat(toolServer.received).hasSize(1);
    engine.api.post("/sandbox/calls/" + callId + "/hangup", key, null);
    poll(() -> "completed".equals(call(callId).getString("status")));
    assertThat(turns(callId)).containsSubsequence(
        "user: Can you check the order status for order A-17?",
        "agent: One moment, checking.", "agent: Order A-17 ships tomorrow");
  }

  @Test
  void aToolThatFailsIsApologisedFor() {
    toolServer.answer(r -> r.request().response().setStatusCode(500).end());
    patchAgent(new JsonObject().put("customTools", new JsonArray().add(new JsonObject()
        .put("name", "lookup").put("description", "x").put("url", toolServer.url("/t")))));
    String callId = dial();
    assertThat(say(callId, "please do a lookup").json().getString("reply"))
        .isEqualTo("Sorry, I could not do that: The tool lookup answered HTTP 500.");
  }

  @Test
  void aCallerSilentForMaxSilenceMsIsHungUpOn() {
    patchAgent(new JsonObject().put("maxSilenceMs", 20000));
    String callId = dial();
    JsonObject waited = engine.api.post("/sandbox/calls/" + callId + "/silence", key,
        new JsonObject().put("ms", 15000)).json();
    assertThat(waited.getString("status")).isEqualTo("in-progress");
    assertThat(waited.getLong("silentMs")).isGreaterThanOrEqualTo(15000L);
    // speaking starts the silence again
    say(callId, "Hello there");
    assertThat(engine.api.post("/sandbox/calls/" + callId + "/silence", key,
        new JsonObject().put("ms", 15000)).json().getString("status")).isEqualTo("in-progress");
    JsonObject ended = engine.api.post("/sandbox/calls/" + callId + "/silence", key,
        new JsonObject().put("ms", 5000)).json();
    assertThat(ended.getString("status")).isEqualTo("ended");
    assertThat(ended.getString("disconnectionReason")).isEqualTo("inactivity");
    poll(() -> "completed".equals(call(callId).getString("status")));
    assertThat(call(callId).getString("disconnectionReason")).isEqualTo("inactivity");
  }

  @Test
  void voicemailGetsTheVoicemailMessageAndTheAgentHangsUp() {
    assertThat(engine.api.send("PUT", "/sandbox/phones/+14155550188", key,
        new JsonObject().put("answeredBy", "voicemail").encode(), "application/json").json())
        .isEqualTo(new JsonObject().put("phoneNumber", "+14155550188")
            .put("answeredBy", "voicemail").put("screening", false));
    patchAgent(new JsonObject().put("voicemailMessage", "Hi, Acme here. Please call us back."));
    String callId = engine.api.post("/v1/calls", key, new JsonObject().put("agentId", agentId)
        .put("toNumber", "+14155550188")).json().getString("id");
    poll(() -> "completed".equals(call(callId).getString("status")));
    assertThat(call(callId).getString("disconnectionReason")).isEqualTo("voicemail_reached");
    assertThat(turns(callId)).containsExactly(
        "user: Hi, you've reached +14155550188. Please leave a message after the tone.",
        "agent: Hi, Acme here. Please call us back.");

    // without a voicemail message the agent talks on, as to a person
    patchAgent(new JsonObject().putNull("voicemailMessage").put("beginMessage", "Hello!"));
    String second = engine.api.post("/v1/calls", key, new JsonObject().put("agentId", agentId)
        .put("toNumber", "+14155550188")).json().getString("id");
    poll(() -> say(second, "hi").status() == 200);
    assertThat(call(second).getString("status")).isEqualTo("in-progress");
    // another account's phone of the same number answers as a person
    String otherKey = engine.newKey();
    assertThat(engine.api.get("/sandbox/phones/+14155550188", otherKey).json()
        .getString("answeredBy")).isEqualTo("human");
    assertThat(engine.api.send("PUT", "/sandbox/phones/555", key, "{}", "application/json")
        .status()).isEqualTo(422);
  }

  @Test
  void aCallScreenerHearsWhoIsCallingAndWhyThenThePersonIsGreeted() {
    engine.api.send("PUT", "/sandbox/phones/+14155550189", key,
        new JsonObject().put("screening", true).encode(), "application/json");
    patchAgent(new JsonObject().put("callScreeningIdentity", "Acme Support")
        .put("callScreeningPurpose", "your order").put("beginMessage", "Hi, this is Acme!"));
    String callId = engine.api.post("/v1/calls", key, new JsonObject().put("agentId", agentId)
        .put("toNumber", "+14155550189")).json().getString("id");
    poll(() -> say(callId, "Hello?").status() == 200);
    engine.api.post("/sandbox/calls/" + callId + "/hangup", key, null);
    poll(() -> "completed".equals(call(callId).getString("status")));
    assertThat(turns(callId)).containsExactly(
        "user: Hi, the person you're calling is using a call screening service. Please say "
            + "your name and why you're calling.",
        "agent: Acme Support calling about your order.",
        "user: Thank you, please stay on the line.",
        "agent: Hi, this is Acme!",
        "user: Hello?",
        "agent: Hello! How can I help you today?");
  }

  @Test
  void aWebhookAgentsScreenerIsAnsweredByTheEngineOnItsSocket() {
    CustomerWebhook customer = new CustomerWebhook();
    try {
      patchAgent(new JsonObject().put("voiceMode", "webhook").putNull("beginMessage")
          .put("callScreeningPurpose", "a delivery"));
      engine.api.post("/v1/agents/" + agentId + "/webhook", key,
          new JsonObject().put("url", customer.url()));
      engine.api.send("PUT", "/sandbox/phones/+14155550190", key,
          new JsonObject().put("screening", true).encode(), "application/json");
      String callId = engine.api.post("/v1/calls", key, new JsonObject()
          .put("agentId", agentId).put("toNumber", "+14155550190")).json().getString("id");
      poll(() -> turns(callId).size() >= 2);
      // no identity set: the agent's name stands in
      assertThat(turns(callId).get(1)).isEqualTo("agent: My Agent calling about a delivery.");
      assertThat(customer.received).noneMatch(r -> "agent.message".equals(
          r.body().getString("event")));
    } finally {
      customer.close();
    }
  }

  @Test
  void phonesAreSetUpPerAccountAndReset() {
    String path = "/sandbox/phones/+14155550191";
    engine.api.send("PUT", path, key, new JsonObject().put("answeredBy", "voicemail")
        .put("screening", true).encode(), "application/json");
    assertThat(engine.api.get(path, key).json().getBoolean("screening")).isTrue();
    assertThat(engine.api.delete(path, key).json().getString("answeredBy")).isEqualTo("human");
    assertThat(engine.api.get(path, key).json().getBoolean("screening")).isFalse();
    Api.Response bad = engine.api.send("PUT", path, key,
        new JsonObject().put("answeredBy", "fax").encode(), "application/json");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(engine.api.get(path, null).status()).isEqualTo(401);
  }
}

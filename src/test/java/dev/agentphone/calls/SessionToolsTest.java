package dev.agentphone.calls;

import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.agentphone.support.RetellDriver.poll;
import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tools and call screeners on the engine's own LLM socket, over the real wire: this test plays
 * Retell (a fake REST API, signed webhooks and the custom-LLM socket as a client), the
 * customer's voice webhook and the customer's tool server.
 */
class SessionToolsTest {
  static final String RETELL_KEY = "key_session_tools";
  static final AtomicInteger CALLS = new AtomicInteger();
  static FakeRetellApi fake;
  static TestEngine engine;
  static RetellDriver retell;
  static CustomerWebhook customer;
  static CustomerWebhook toolServer;

  String key;
  String agentId;
  String number;

  @BeforeAll
  static void start() {
    fake = new FakeRetellApi();
    engine = TestEngine.builder().config(Map.of("retell.apiKey", RETELL_KEY,
        "retell.baseUrl", fake.baseUrl(), "voice.maxTurnWaitMillis", 5000)).start();
    retell = new RetellDriver(engine, fake, RETELL_KEY);
    customer = new CustomerWebhook();
    toolServer = new CustomerWebhook();
    toolServer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("result", "Order " + r.body().getJsonObject("args")
            .getString("order") + " ships tomorrow").encode()));
  }

  @AfterAll
  static void stop() {
    retell.close();
    customer.close();
    toolServer.close();
    engine.close();
    fake.close();
  }

  @BeforeEach
  void webhookAgentWithATool() {
    JsonObject account = engine.signUp("session-tools-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    agentId = account.getString("agent_id");
    number = account.getString("phone_number");
    poll(() -> fake.numbers.containsKey(number));
    JsonObject tool = new JsonObject().put("name", "order_status")
        .put("description", "Looks up an order").put("url", toolServer.url("/tools/orders"))
        .put("parameters", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("order", new JsonObject().put("type", "string"))))
        .put("speakDuringExecution", true).put("executionMessage", "Let me look that up.");
    assertThat(engine.api.patch("/v1/agents/" + agentId, key, new JsonObject()
        .put("voiceMode", "webhook").putNull("beginMessage")
        .put("customTools", new JsonArray().add(tool))).status()).isEqualTo(200);
    assertThat(engine.api.post("/v1/agents/" + agentId + "/webhook", key,
        new JsonObject().put("url", customer.url())).status()).isEqualTo(200);
    customer.received.clear();
    toolServer.received.clear();
  }

  private String inbound() {
    String rid = "rc_session_tools_" + CALLS.incrementAndGet() + "_" + System.nanoTime();
    assertThat(retell.webhook("call_started",
        RetellDriver.call(rid, "inbound", "+14155550166", number)).status()).isEqualTo(204);
    return rid;
  }

  private List<CustomerWebhook.Received> voiceEvents() {
    return customer.received.stream()
        .filter(r -> "agent.message".equals(r.body().getString("event"))).toList();
  }

  private List<Map<String, Object>> agentTurns() {
    return engine.sql("SELECT t.content FROM call_turns t JOIN calls c ON c.id = t.call_id "
        + "WHERE c.agent_id = ? AND t.role = 'agent' ORDER BY t.seq", agentId);
  }

  @Test
  void theBuiltInResponderRunsTheToolTheCallerNamesWhileSayingItsExecutionMessage() {
    // a per-call prompt: the engine's built-in responder answers on the socket
    String ourCall = engine.api.post("/v1/calls", key, new JsonObject().put("agentId", agentId)
        .put("toNumber", "+14155550123").put("systemPrompt", "Help with orders."))
        .json().getString("id");
    String rid = fake.calls.values().stream().filter(c -> ourCall.equals(
        c.getJsonObject("metadata").getString("agentphone_call_id"))).findFirst().orElseThrow()
        .getString("call_id");
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "Can you check the order status for "
          + "order A-17?"));
      List<JsonObject> frames = socket.awaitResponse(1);
      assertThat(frames).extracting(f -> f.getString("content"))
          .containsExactly("Let me look that up. ", "Order A-17 ships tomorrow");
      assertThat(frames).extracting(f -> f.getBoolean("content_complete"))
          .containsExactly(false, true);
    }
    CustomerWebhook.Received call = toolServer.received.get(0);
    assertThat(call.body().getJsonObject("args")).isEqualTo(new JsonObject().put("order", "A-17"));
    assertThat(call.body().getJsonObject("call").getString("id")).isEqualTo(ourCall);
    assertThat(voiceEvents()).isEmpty();
    poll(() -> agentTurns().stream().anyMatch(t -> t.get("content")
        .equals("Let me look that up. Order A-17 ships tomorrow")));
  }

  @Test
  void aWebhookAnswerCanAskTheEngineToRunATool() {
    customer.answer(r -> {
      JsonObject data = r.body().getJsonObject("data");
      JsonObject answer = data.containsKey("toolResult")
          ? new JsonObject().put("text", "Good news: " + data.getJsonObject("toolResult")
              .getJsonObject("result").getString("result") + ".")
          : new JsonObject().put("text", "Let me check.").put("toolCall", new JsonObject()
              .put("name", "order_status").put("arguments", new JsonObject().put("order", "B-2")));
      r.request().response().putHeader("Content-Type", "application/json").end(answer.encode());
    });
    String rid = inbound();
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "Where is my order?"));
      List<JsonObject> frames = socket.awaitResponse(1);
      assertThat(frames).extracting(f -> f.getString("content")).containsExactly(
          "Let me check.", " Let me look that up.", " Good news: Order B-2 ships tomorrow.");
      assertThat(frames).extracting(f -> f.getBoolean("content_complete"))
          .containsExactly(false, false, true);
    }
    List<CustomerWebhook.Received> events = voiceEvents();
    assertThat(events).hasSize(2);
    JsonObject first = events.get(0).body().getJsonObject("data");
    // the tools are described to the webhook, without their URLs or headers
    assertThat(first.getJsonArray("tools")).containsExactly(new JsonObject()
        .put("name", "order_status").put("description", "Looks up an order")
        .put("parameters", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("order", new JsonObject().put("type", "string")))));
    assertThat(first.containsKey("toolResult")).isFalse();
    JsonObject second = events.get(1).body().getJsonObject("data");
    assertThat(second.getString("transcript")).isEqualTo("Where is my order?");
    assertThat(second.getJsonObject("toolResult")).isEqualTo(new JsonObject()
        .put("name", "order_status").put("arguments", new JsonObject().put("order", "B-2"))
        .put("ok", true).put("result", new JsonObject().put("result",
            "Order B-2 ships tomorrow")));
    assertThat(toolServer.received).hasSize(1);
    poll(() -> agentTurns().stream().anyMatch(t -> t.get("content")
        .equals("Let me check. Let me look that up. Good news: Order B-2 ships tomorrow.")));
  }

  @Test
  void aCallScreenerIsAnsweredWithTheAgentsIdentityAndPurpose() {
    String screener = "Hi, the person you're calling is using a screening service. Please say "
        + "your name and why you're calling.";
    String rid = inbound();
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      // without an identity or a purpose, the webhook answers the screener like anyone else
      socket.responseRequired(1, transcript("user", screener));
      assertThat(socket.awaitResponse(1).get(0).getString("content")).isEqualTo("ok");
      assertThat(voiceEvents()).hasSize(1);
    }
    engine.api.patch("/v1/agents/" + agentId, key, new JsonObject()
        .put("callScreeningIdentity", "Acme Support").put("callScreeningPurpose", "your order"));
    customer.received.clear();
    String next = inbound();
    try (RetellDriver.Socket socket = retell.connect(next)) {
      socket.responseRequired(1, transcript("user", screener));
      assertThat(socket.awaitResponse(1)).extracting(f -> f.getString("content"))
          .containsExactly("Acme Support calling about your order.");
    }
    assertThat(voiceEvents()).isEmpty();
  }
}

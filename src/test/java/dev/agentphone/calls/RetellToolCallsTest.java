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

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live mode: Retell (a fake of its REST API and of its custom-function requests, at the network
 * edge) calls a hosted agent's tools at the engine's tool endpoint, and the engine runs them
 * against the customer's tool server with the tool's method, headers and time-out.
 */
class RetellToolCallsTest {
  static final String RETELL_KEY = "key_tools_retell";
  static final AtomicInteger CALLS = new AtomicInteger();
  static FakeRetellApi retell;
  static TestEngine engine;
  static RetellDriver driver;
  static CustomerWebhook toolServer;

  String key;
  String agentId;
  String number;
  String llmId;

  @BeforeAll
  static void start() {
    retell = new FakeRetellApi();
    // the tool server listens on loopback, a private address the sandbox allows
    engine = TestEngine.builder().config(Map.of("retell.apiKey", RETELL_KEY,
        "retell.baseUrl", retell.baseUrl(), "retell.requestTimeoutMillis", 2000)).start();
    driver = new RetellDriver(engine, retell, RETELL_KEY);
    toolServer = new CustomerWebhook();
  }

  @AfterAll
  static void stop() {
    driver.close();
    toolServer.close();
    engine.close();
    retell.close();
  }

  static JsonArray tools(String base) {
    return new JsonArray()
        .add(new JsonObject().put("name", "order_status").put("description", "Looks up an order")
            .put("url", base + "/tools/orders").put("method", "POST")
            .put("headers", new JsonObject().put("Authorization", "Bearer tool-secret")))
        .add(new JsonObject().put("name", "opening_hours").put("description", "Opening hours")
            .put("url", base + "/tools/hours?shop=main").put("method", "GET"))
        .add(new JsonObject().put("name", "slow_lookup").put("description", "Takes its time")
            .put("url", base + "/tools/slow").put("timeoutMs", 1000));
  }

  @BeforeEach
  void hostedAgentWithTools() {
    JsonObject account = engine.signUp("tools-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    agentId = account.getString("agent_id");
    number = account.getString("phone_number");
    poll(() -> retell.numbers.containsKey(number));
    assertThat(engine.api.patch("/v1/agents/" + agentId, key, new JsonObject()
        .put("voiceMode", "hosted").put("customTools", tools(toolServer.url("")))).status())
        .isEqualTo(200);
    llmId = retell.agents.get(driver.retellAgentOf(agentId)).getJsonObject("response_engine")
        .getString("llm_id");
    toolServer.received.clear();
    toolServer.answer(r -> {
      String path = r.request().path();
      if (path.endsWith("/slow")) {
        toolServer.vertx().setTimer(3000, t -> r.request().response().end("{\"late\": true}"));
      } else if (path.endsWith("/hours")) {
        r.request().response().putHeader("Content-Type", "text/plain").end("9 to 5");
      } else {
        r.request().response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("result", "Order " + r.body().getJsonObject("args")
                .getString("order") + " ships tomorrow").encode());
      }
    });
  }

  /** A live inbound call to the account's number, as Retell announced it. */
  private String call() {
    String rid = "rc_tools_" + CALLS.incrementAndGet() + "_" + System.nanoTime();
    assertThat(driver.webhook("call_started",
        RetellDriver.call(rid, "inbound", "+14155550177", number)).status()).isEqualTo(204);
    return rid;
  }

  @Test
  void aPostToolGetsTheArgumentsTheCallAndItsHeadersAndItsAnswerGoesBackToRetell() {
    String rid = call();
    FakeRetellApi.ToolAnswer answer = retell.callTool(llmId, "order_status", rid,
        new JsonObject().put("order", "A-17"), RETELL_KEY);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json()).isEqualTo(new JsonObject().put("result",
        "Order A-17 ships tomorrow"));
    CustomerWebhook.Received request = toolServer.received.get(0);
    assertThat(request.request().method().name()).isEqualTo("POST");
    assertThat(request.request().path()).isEqualTo("/tools/orders");
    assertThat(request.headers()).containsEntry("authorization", "Bearer tool-secret");
    assertThat(request.body().getString("name")).isEqualTo("order_status");
    assertThat(request.body().getJsonObject("args")).isEqualTo(new JsonObject()
        .put("order", "A-17"));
    JsonObject call = request.body().getJsonObject("call");
    String ourCall = engine.api.get("/v1/calls", key).json().getJsonArray("data")
        .getJsonObject(0).getString("id");
    assertThat(call.getString("id")).isEqualTo(ourCall);
    assertThat(call.getString("agentId")).isEqualTo(agentId);
    assertThat(call.getString("from")).isEqualTo("+14155550177");
    assertThat(call.getString("direction")).isEqualTo("inbound");
  }

  @Test
  void aGetToolGetsItsArgumentsAsQueryParameters() {
    String rid = call();
    FakeRetellApi.ToolAnswer answer = retell.callTool(llmId, "opening_hours", rid,
        new JsonObject().put("day", "Sat urday").put("week", 3), RETELL_KEY);
    assertThat(answer.body()).isEqualTo("9 to 5");
    assertThat(answer.contentType()).startsWith("text/plain");
    CustomerWebhook.Received request = toolServer.received.get(0);
    assertThat(request.request().method().name()).isEqualTo("GET");
    assertThat(request.request().getParam("shop")).isEqualTo("main");
    assertThat(request.request().getParam("day")).isEqualTo("Sat urday");
    assertThat(request.request().getParam("week")).isEqualTo("3");
  }

  @Test
  void aToolPastItsTimeoutAnswersAnErrorTheModelCanSpeakAbout() {
    String rid = call();
    FakeRetellApi.ToolAnswer answer = retell.callTool(llmId, "slow_lookup", rid,
        new JsonObject(), RETELL_KEY);
    assertThat(answer.status()).isEqualTo(200);
    // answered at its time-out: the slow server's late answer never reaches the model
    assertThat(answer.json().getString("error"))
        .isEqualTo("The tool slow_lookup did not answer within 1000 ms");
  }

  @Test
  void messagingToolsTextTheCallerFromTheAgentsNumber() {
    String rid = call();
    FakeRetellApi.ToolAnswer sent = retell.callTool(llmId, "send_message", rid,
        new JsonObject().put("body", "Your order is A-17"), RETELL_KEY);
    assertThat(sent.json().getString("result")).isEqualTo("Sent the message to +14155550177.");
    JsonObject stored = engine.api.get("/v1/conversations", key).json().getJsonArray("data")
        .getJsonObject(0);
    assertThat(stored.getString("participant")).isEqualTo("+14155550177");
    FakeRetellApi.ToolAnswer read = retell.callTool(llmId, "read_messages", rid,
        new JsonObject(), RETELL_KEY);
    assertThat(read.json().getJsonArray("messages").getJsonObject(0).getString("body"))
        .isEqualTo("Your order is A-17");

    // switched off, the messaging tools are gone from the LLM and refused if called anyway
    String sendUrl = retell.llms.get(llmId).getJsonArray("general_tools").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("send_message"))
        .findFirst().orElseThrow().getString("url");
    engine.api.patch("/v1/agents/" + agentId, key, new JsonObject().put("enableMessaging", false));
    assertThat(retell.llms.get(llmId).getJsonArray("general_tools"))
        .extracting(t -> ((JsonObject) t).getString("name"))
        .containsExactly("order_status", "opening_hours", "slow_lookup");
    String body = new JsonObject().put("call", new JsonObject().put("call_id", rid))
        .put("name", "send_message").put("args", new JsonObject().put("body", "again")).encode();
    FakeRetellApi.ToolAnswer refused = FakeRetellApi.post(sendUrl, body,
        dev.agentphone.providers.retell.RetellSignature.sign(RETELL_KEY, body,
            System.currentTimeMillis()));
    assertThat(refused.json().getString("error"))
        .isEqualTo("This agent has no tool named send_message");
  }

  @Test
  void withoutTheSecretOrTheSignatureNothingRuns() {
    String rid = call();
    JsonObject tool = retell.llms.get(llmId).getJsonArray("general_tools").getJsonObject(0);
    String url = tool.getString("url");
    String body = new JsonObject().put("call", new JsonObject().put("call_id", rid))
        .put("name", "order_status").put("args", new JsonObject().put("order", "X")).encode();
    String signature = dev.agentphone.providers.retell.RetellSignature.sign(RETELL_KEY, body,
        System.currentTimeMillis());
    assertThat(FakeRetellApi.post(url, body, null).status()).isEqualTo(403);
    assertThat(FakeRetellApi.post(url, body, dev.agentphone.providers.retell.RetellSignature
        .sign("another key", body, System.currentTimeMillis())).status()).isEqualTo(403);
    String wrongSecret = url.replaceAll("/[A-Za-z0-9_-]{43}/", "/" + "A".repeat(43) + "/");
    assertThat(FakeRetellApi.post(wrongSecret, body, signature).status()).isEqualTo(403);
    // another agent's secret URL cannot run this agent's call
    JsonObject other = engine.signUp("tools-other-" + System.nanoTime() + "@example.com");
    String otherUrl = url.replace(agentId, other.getString("agent_id"));
    assertThat(FakeRetellApi.post(otherUrl, body, signature).status()).isEqualTo(403);
    assertThat(toolServer.received).isEmpty();
  }

  @Test
  void theSsrfGuardKeepsToolsAwayFromPrivateAddressesWhenTheyAreNotAllowed() {
    try (TestEngine strict = TestEngine.builder().config(Map.of("retell.apiKey", RETELL_KEY,
        "retell.baseUrl", retell.baseUrl(), "webhooks.allowPrivateTargets", false)).start();
        RetellDriver strictDriver = new RetellDriver(strict, retell, RETELL_KEY)) {
      JsonObject account = strict.signUp("strict-" + System.nanoTime() + "@example.com");
      String strictAgent = account.getString("agent_id");
      String strictNumber = account.getString("phone_number");
      poll(() -> retell.numbers.containsKey(strictNumber));
      assertThat(strict.api.patch("/v1/agents/" + strictAgent, account.getString("api_key"),
          new JsonObject().put("voiceMode", "hosted").put("customTools", new JsonArray()
              .add(new JsonObject().put("name", "order_status").put("description", "x")
                  .put("url", "https://tools.example.com/orders")))).status()).isEqualTo(200);
      // its DNS now points at this machine: the guard checks again before every call
      strict.sql("UPDATE agents SET custom_tools = ?::jsonb WHERE id = ?",
          tools(toolServer.url("")).encode(), strictAgent);
      String strictLlm = retell.agents.get(strictDriver.retellAgentOf(strictAgent))
          .getJsonObject("response_engine").getString("llm_id");
      String rid = "rc_strict_" + System.nanoTime();
      strictDriver.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550177",
          strictNumber));
      FakeRetellApi.ToolAnswer answer = retell.callTool(strictLlm, "order_status", rid,
          new JsonObject().put("order", "A-1"), RETELL_KEY);
      assertThat(answer.json().getString("error")).startsWith("The tool order_status was not "
          + "called: URL host localhost resolves to a loopback address");
      assertThat(toolServer.received).isEmpty();
    }
  }
}

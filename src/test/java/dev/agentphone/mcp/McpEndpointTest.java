package dev.agentphone.mcp;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's own MCP endpoint, driven by the official Java MCP SDK's client over Streamable
 * HTTP with a real API key, as an assistant would: it lists the official server's tools and
 * buys a number, sends a message and places a call in the sandbox.
 */
class McpEndpointTest {
  /** The official AgentPhone MCP server's tools, in the order it lists them. */
  static final List<String> OFFICIAL_TOOLS = List.of("account_overview", "list_numbers",
      "buy_number", "send_message", "get_messages", "list_calls", "get_call", "make_call",
      "make_conversation_call", "list_agents", "create_agent", "update_agent", "delete_agent",
      "get_agent", "attach_number", "detach_number", "list_voices", "list_conversations",
      "get_conversation", "update_conversation", "list_contacts", "manage_contact", "get_usage",
      "get_webhook", "set_webhook", "delete_webhook", "test_webhook", "list_webhook_deliveries");

  static TestEngine engine;
  static Api api;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    api = engine.api;
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static JsonObject account() {
    return engine.signUp("mcp-" + System.nanoTime() + "@example.com");
  }

  private static String initialize() {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18")
            .put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "curl").put("version", "1")))
        .encode();
  }

  @Test
  void anAssistantWithoutAValidKeyIsTurnedAwayBeforeAnyMcp() {
    String accept = "application/json, text/event-stream";
    Api.Response anonymous = api.send("POST", "/mcp", null, initialize(), "application/json",
        "Accept", accept);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().getString("detail")).isEqualTo("Not authenticated");
    assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
    Api.Response wrong = api.send("POST", "/mcp", "sk_live_not_a_key", initialize(),
        "application/json", "Accept", accept);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().getString("detail")).isEqualTo("Invalid API key");

    String key = account().getString("api_key");
    Api.Response initialized = api.send("POST", "/mcp", key, initialize(), "application/json",
        "Accept", accept);
    assertThat(initialized.status()).isEqualTo(200);
    assertThat(initialized.json().getJsonObject("result").getJsonObject("serverInfo")
        .getString("name")).isEqualTo("agentphone");
    // stateless: there is no stream to open and no session to end
    assertThat(api.get("/mcp", key).status()).isEqualTo(405);
    assertThat(api.delete("/mcp", key).status()).isEqualTo(405);
    Api.Response notJsonRpc = api.send("POST", "/mcp", key, "{\"hello\":", "application/json",
        "Accept", accept);
    assertThat(notJsonRpc.status()).isEqualTo(400);
    assertThat(notJsonRpc.json().getJsonObject("error").getInteger("code")).isEqualTo(-32700);
    assertThat(api.send("POST", "/mcp", key, initialize(), "application/json",
        "Accept", "application/json").status()).isEqualTo(400);
  }

  @Test
  void itListsTheOfficialServersToolsAsTheyAre() {
    try (McpSession mcp = new McpSession(engine.port, account().getString("api_key"))) {
      assertThat(mcp.initialized.serverInfo().name()).isEqualTo("agentphone");
      assertThat(mcp.initialized.capabilities().tools()).isNotNull();
      List<McpSchema.Tool> tools = mcp.tools();
      assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyElementsOf(OFFICIAL_TOOLS);
      Map<String, McpSchema.Tool> byName = new java.util.HashMap<>();
      tools.forEach(tool -> byName.put(tool.name(), tool));

      McpSchema.Tool list = byName.get("list_numbers");
      assertThat(list.description()).isEqualTo("List all phone numbers in your account, each "
          + "with its ID, status, country, and assigned agent.");
      assertThat(list.annotations().readOnlyHint()).isTrue();
      assertThat(list.annotations().idempotentHint()).isTrue();
      Map<String, Object> limit = property(list, "limit");
      assertThat(limit).containsEntry("default", 20).containsEntry("minimum", 1)
          .containsEntry("maximum", 100);
      assertThat(byName.get("delete_agent").annotations().destructiveHint()).isTrue();
      assertThat(byName.get("buy_number").annotations().openWorldHint()).isTrue();
      assertThat(byName.get("create_agent").annotations()).isNull();
      @SuppressWarnings("unchecked")
      List<String> styles = (List<String>) property(byName.get("send_message"), "send_style")
          .get("enum");
      assertThat(styles).hasSize(12).contains("confetti", "slam");
      assertThat(byName.get("send_message").inputSchema().get("required"))
          .isEqualTo(List.of("to_number", "body"));
      assertThat(byName.get("make_call").description())
          .contains("The call always opens by identifying itself as an AI assistant");
      assertThat(byName.get("make_conversation_call").description())
          .contains("cannot be disabled via topic or initial_greeting");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> property(McpSchema.Tool tool, String name) {
    return (Map<String, Object>) ((Map<String, Object>) tool.inputSchema().get("properties"))
        .get(name);
  }

  @Test
  void anAssistantBuysANumberSendsAMessageAndPlacesACall() {
    JsonObject account = account();
    String key = account.getString("api_key");
    try (McpSession mcp = new McpSession(engine.port, key)) {
      // without confirm=true nothing is bought: the assistant is told to ask first
      McpSession.Result asked = mcp.call("buy_number", Map.of("area_code", "415"));
      assertThat(asked.error()).isFalse();
      assertThat(asked.text()).startsWith("This will purchase a new US phone number in area code"
          + " 415, charging the account's balance.")
          .endsWith("country=\"US\", area_code=\"415\", confirm=true");
      assertThat(api.get("/v1/numbers", key).json().getLong("total")).isEqualTo(1);

      McpSession.Result bought = mcp.call("buy_number", Map.of("area_code", "415",
          "confirm", true));
      assertThat(bought.error()).as(bought.text()).isFalse();
      JsonArray numbers = api.get("/v1/numbers", key).json().getJsonArray("data");
      assertThat(numbers).hasSize(2);
      JsonObject added = numbers.stream().map(JsonObject.class::cast)
          .filter(n -> !n.getString("id").equals(account.getString("number_id")))
          .findFirst().orElseThrow();
      assertThat(bought.text()).startsWith("Purchased number " + added.getString("phoneNumber")
          + " (US)\n\n{\n  \"id\": \"" + added.getString("id") + "\",");

      McpSession.Result sent = mcp.call("send_message", Map.of(
          "agent_id", account.getString("agent_id"), "to_number", "+14155550123",
          "body", "Your table is ready"));
      assertThat(sent.error()).as(sent.text()).isFalse();
      assertThat(sent.text()).startsWith("Message sent!\n  From: "
          + account.getString("phone_number") + "\n  To: +14155550123\n  Channel: sms\n");
      String messageId = sent.text().replaceAll("(?s).*  ID: (\\S+).*", "$1");
      JsonArray outbox = api.get("/sandbox/sms", key).json().getJsonArray("data");
      assertThat(outbox.stream().map(JsonObject.class::cast))
          .anyMatch(sms -> "Your table is ready".equals(sms.getString("body"))
              && "+14155550123".equals(sms.getString("to")));
      assertThat(engine.sql("SELECT body FROM messages WHERE id = ?", messageId))
          .extracting(row -> row.get("body")).containsExactly("Your table is ready");

      McpSession.Result placed = mcp.call("make_call", Map.of(
          "agent_id", account.getString("agent_id"), "to_number", "+14155550199",
          "initial_greeting", "Calling about your booking."));
      assertThat(placed.error()).as(placed.text()).isFalse();
      assertThat(placed.text()).startsWith("Call initiated!\n  From: "
          + account.getString("phone_number") + "\n  To: +14155550199\n  Call ID: call_");
      String callId = placed.text().replaceAll("(?s).*Call ID: (\\S+).*", "$1");
      // the AI disclosure is spoken first, whatever greeting the assistant chose
      assertThat(engine.sql("SELECT initial_greeting FROM calls WHERE id = ?", callId).get(0)
          .get("initial_greeting")).isEqualTo("Hi, quick heads up: I'm an AI assistant calling"
              + " on behalf of an AgentPhone user. Calling about your booking.");

      // the simulated callee answers and speaks; the starter agent (hosted) replies
      poll(() -> api.post("/sandbox/calls/" + callId + "/say", key,
          new JsonObject().put("text", "Can I move it to eight?")).status() == 200);
      assertThat(api.post("/sandbox/calls/" + callId + "/hangup", key, null).status())
          .isEqualTo(200);
      poll(() -> "completed".equals(api.get("/v1/calls/" + callId, key).json()
          .getString("status")));
      McpSession.Result call = mcp.call("get_call", Map.of("call_id", callId));
      assertThat(call.error()).as(call.text()).isFalse();
      assertThat(call.text()).startsWith("Call " + callId + "\nDirection: outbound\nFrom: "
          + account.getString("phone_number") + "\nTo: +14155550199\nStatus: completed\n")
          .contains("\nEnded: ", "\nTranscript:\n",
              "  Agent: Hi, quick heads up: I'm an AI assistant calling on behalf of an "
                  + "AgentPhone user. Calling about your booking.",
              "  Human: Can I move it to eight?");
    }
  }

  @Test
  void toolErrorsSayWhatWentWrongAndWhatToDo() {
    JsonObject account = account();
    try (McpSession mcp = new McpSession(engine.port, account.getString("api_key"))) {
      McpSession.Result missing = mcp.call("get_agent", Map.of("agent_id", "agt_missing"));
      assertThat(missing.error()).isTrue();
      assertThat(missing.text()).isEqualTo(api.get("/v1/agents/agt_missing",
          account.getString("api_key")).json().getString("detail")
          + " Use list_agents to see valid agent IDs.");

      McpSession.Result outOfRange = mcp.call("list_numbers", Map.of("limit", 500));
      assertThat(outOfRange.error()).isTrue();
      assertThat(outOfRange.text()).contains("list_numbers").contains("limit");

      McpSession.Result notE164 = mcp.call("make_call", Map.of(
          "agent_id", account.getString("agent_id"), "to_number", "555-0100"));
      assertThat(notE164.error()).isTrue();
      assertThat(notE164.text()).isEqualTo("Phone number must be in E.164 format, e.g. "
          + "+14155551234");
      assertThat(engine.sql("SELECT 1 FROM calls WHERE account_id = ?",
          account.getString("account_id"))).isEmpty();

      // the API's field errors read as sentences, not as "[object Object]"
      McpSession.Result invalid = mcp.call("set_webhook", Map.of("url", "ftp://example.com/x"));
      assertThat(invalid.error()).isTrue();
      assertThat(invalid.text()).startsWith("url: ").doesNotContain("[object Object]");
    }
  }

  @Test
  void everyToolActsAsTheCallerAndOnlyTheCaller() {
    JsonObject owner = account();
    JsonObject stranger = account();
    try (McpSession theirs = new McpSession(engine.port, stranger.getString("api_key"))) {
      McpSession.Result other = theirs.call("get_agent",
          Map.of("agent_id", owner.getString("agent_id")));
      assertThat(other.error()).isTrue();
      assertThat(other.text()).endsWith("Use list_agents to see valid agent IDs.");
      McpSession.Result numbers = theirs.call("list_numbers", Map.of());
      assertThat(numbers.text()).contains(stranger.getString("number_id"))
          .doesNotContain(owner.getString("number_id"));
    }
  }

  @Test
  void theSubAccountHeaderActsForTheChildAndAnUnknownOneIsRefused() {
    JsonObject owner = account();
    String key = owner.getString("api_key");
    // an id that is not one of the key's sub-accounts is refused before MCP, as on /v1
    Api.Response unknown = api.send("POST", "/mcp", key, initialize(), "application/json",
        "X-Sub-Account-Id", "sub_00000000000000000000000000");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("detail")).isEqualTo("Sub-account not found");

    // a real child: the tools see only the child's objects, and what they make is the child's
    String child = api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Kid")).json()
        .getString("id");
    try (McpSession mcp = new McpSession(engine.port, key, child)) {
      McpSession.Result numbers = mcp.call("list_numbers", Map.of());
      assertThat(numbers.error()).as(numbers.text()).isFalse();
      assertThat(numbers.text()).doesNotContain(owner.getString("number_id"));
      McpSession.Result agent = mcp.call("create_agent", Map.of("name", "Kid desk"));
      assertThat(agent.error()).as(agent.text()).isFalse();
    }
    assertThat(api.asSubAccount(child).get("/v1/agents", key).json().getJsonArray("data")
        .stream().map(a -> ((JsonObject) a).getString("name"))).containsExactly("Kid desk");
    assertThat(api.get("/v1/agents", key).json().getJsonArray("data").stream()
        .map(a -> ((JsonObject) a).getString("name"))).doesNotContain("Kid desk");
  }

}

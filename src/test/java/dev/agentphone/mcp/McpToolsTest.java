package dev.agentphone.mcp;

import dev.agentphone.support.Api;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's own {@code /mcp}, driven by the official Java MCP SDK's client over Streamable
 * HTTP: every one of the 28 tools does what it says ({@link ToolFlow}), and a caller's key
 * reaches its own account's objects and no one else's.
 */
class McpToolsTest extends ToolFlow {
  @Override
  McpSession connect(String apiKey) {
    return new McpSession(engine.port, apiKey);
  }

  @Override
  Map<String, Checks.Pending> pending() {
    return Map.of();
  }

  @Test
  void aStrangersKeyReachesNoneOfAnotherAccountsObjects() {
    JsonObject owner = engine.signUp("mcp-owner-" + System.nanoTime() + "@example.com");
    String ownerKey = owner.getString("api_key");
    String agent = owner.getString("agent_id");
    String number = owner.getString("number_id");
    String call;
    String conversation;
    String contact;
    try (McpSession mine = new McpSession(engine.port, ownerKey)) {
      assertThat(mine.call("send_message", Map.of("agent_id", agent, "to_number",
          "+14155550140", "body", "Private")).error()).isFalse();
      call = after(mine.call("make_call", Map.of("agent_id", agent, "to_number",
          "+14155550141")).text(), "Call ID: ");
      conversation = after(mine.call("list_conversations", Map.of()).text(), "id=");
      contact = after(mine.call("manage_contact", Map.of("action", "create", "phone_number",
          "+14155550142", "name", "Secret")).text(), "id=");
    }
    JsonObject stranger = engine.signUp("mcp-stranger-" + System.nanoTime() + "@example.com");
    try (McpSession theirs = new McpSession(engine.port, stranger.getString("api_key"))) {
      Map<String, Map<String, Object>> refused = new java.util.LinkedHashMap<>();
      refused.put("get_agent", Map.of("agent_id", agent));
      refused.put("update_agent", Map.of("agent_id", agent, "name", "Taken over"));
      refused.put("get_messages", Map.of("number_id", number));
      refused.put("get_call", Map.of("call_id", call));
      refused.put("get_conversation", Map.of("conversation_id", conversation));
      refused.put("update_conversation", Map.of("conversation_id", conversation,
          "metadata", Map.of("x", 1)));
      refused.put("manage_contact", Map.of("action", "delete", "contact_id", contact));
      refused.put("send_message", Map.of("agent_id", agent, "to_number", "+14155550143",
          "body", "Hi"));
      refused.put("attach_number", Map.of("agent_id", stranger.getString("agent_id"),
          "number_id", number));
      refused.put("get_webhook", Map.of("agent_id", agent));
      refused.forEach((tool, arguments) -> {
        McpSession.Result result = theirs.call(tool, arguments);
        assertThat(result.error()).as("%s on the owner's object: %s", tool, result.text())
            .isTrue();
        assertThat(result.text()).as(tool).containsIgnoringCase("not found");
      });
      for (String tool : new String[] {"list_calls", "list_conversations", "list_contacts",
          "list_numbers", "list_agents"}) {
        assertThat(theirs.call(tool, Map.of()).text()).as(tool).doesNotContain(call,
            conversation, contact, number, agent);
      }
    }
    // nothing of the owner's changed
    assertThat(api.get("/v1/agents/" + agent, ownerKey).json().getString("name"))
        .isNotEqualTo("Taken over");
    assertThat(api.get("/v1/contacts/" + contact, ownerKey).status()).isEqualTo(200);
    assertThat(api.get("/v1/numbers/" + number, ownerKey).json().getString("agentId"))
        .isEqualTo(agent);
    // and without a valid key the client gets no further than its first request
    assertThatThrownBy(() -> new McpSession(engine.port,
        "sk_live_not_a_key")).hasMessageContaining("initialize");
    Api.Response anonymous = api.send("POST", "/mcp", null, "{\"jsonrpc\":\"2.0\",\"id\":1,"
        + "\"method\":\"tools/list\"}", "application/json",
        "Accept", "application/json, text/event-stream");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

}

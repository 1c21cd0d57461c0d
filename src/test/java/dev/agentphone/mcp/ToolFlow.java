package dev.agentphone.mcp;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * All 28 tools of the AgentPhone MCP server, each called as an assistant would in one account's
 * life, through an MCP server that subclasses connect to: every answer is the tool's success,
 * names what it did, prints no {@code undefined} (a field the official tool reads and the API did
 * not send), and what it changed is visible in the engine. The texts are the official server's,
 * so the same flow holds for the engine's own {@code /mcp} and for the official server.
 */
abstract class ToolFlow {
  static TestEngine engine;
  static Api api;
  static CustomerWebhook customer;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    api = engine.api;
    customer = new CustomerWebhook();
  }

  @AfterAll
  static void stop() {
    customer.close();
    engine.close();
  }

  private final Checks checks = new Checks(pending());
  private final Set<String> called = new LinkedHashSet<>();
  private final Map<String, String> ids = new HashMap<>();
  private McpSession mcp;

  /** The tool's text, which must be its success and show no field the API left out. */
  /** A session with the MCP server under test, acting with this API key. */
  abstract McpSession connect(String apiKey);

  /** The checks that cannot pass yet against that server, and why. */
  abstract Map<String, Checks.Pending> pending();

  String ok(String tool, Map<String, Object> arguments) {
    called.add(tool);
    McpSession.Result result = mcp.call(tool, arguments);
    assertThat(result.error()).as("%s answered an error: %s", tool, result.text()).isFalse();
    assertThat(result.text()).as("%s", tool).doesNotContain("undefined");
    return result.text();
  }

  static String after(String text, String label) {
    return text.replaceAll("(?s).*" + java.util.regex.Pattern.quote(label) + "(\\S+).*", "$1");
  }

  @Test
  void everyToolDoesWhatItSaysForOneAccount() throws Exception {
    JsonObject account = engine.signUp("mcp-tools-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String agent = account.getString("agent_id");
    String number = account.getString("number_id");
    String phone = account.getString("phone_number");
    try (McpSession session = connect(key)) {
      mcp = session;
      assertThat(mcp.tools()).extracting(tool -> tool.name())
          .containsExactlyElementsOf(McpEndpointTest.OFFICIAL_TOOLS);
      checks.check("account_overview", () -> assertThat(ok("account_overview", Map.of()))
          .startsWith("=== Account Overview ===\nPlan: starter\nPhone Numbers: 1/")
          .contains("(id=" + agent + ", voiceMode=", phone + ")", "  " + phone + " (id="
              + number + ", US, active, agent=" + agent + ")", "  Not configured.",
              "Messages (30d): 0  Calls (30d): 0"));
      checks.check("list_numbers", () -> assertThat(new JsonObject(ok("list_numbers", Map.of()))
          .getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(number));
      checks.check("buy_number", () -> {
        String text = ok("buy_number", Map.of("confirm", true));
        assertThat(text).startsWith("Purchased number +").contains(" (US)\n\n{\n");
        String id = new JsonObject(text.substring(text.indexOf("\n\n") + 2)).getString("id");
        assertThat(api.get("/v1/numbers/" + id, key).json().getString("status"))
            .isEqualTo("active");
        ids.put("second", id);
      });
      checks.check("list_voices", () -> assertThat(ok("list_voices", Map.of()))
          .matches("(?s)\\d+ voice\\(s\\) available:\n\n\\S+ — .+ \\(.+, .+, .+\\).*"));
      checks.check("list_agents", () -> assertThat(new JsonObject(ok("list_agents",
          Map.of("limit", 5))).getLong("total")).isEqualTo(1));
      checks.check("create_agent", () -> {
        String text = ok("create_agent", Map.of("name", "Front desk", "voice_mode", "hosted",
            "system_prompt", "Be brief.", "voice_speed", 1.1, "language", "es-ES"));
        assertThat(text).startsWith("Agent created!\n  ID: agt_").contains("  Name: Front desk",
            "  Voice Mode: hosted", "  Model Tier: ");
        ids.put("agent", after(text, "ID: "));
      });
      checks.check("create_agent[voice settings]", () -> assertThat(mcp.call("get_agent",
          Map.of("agent_id", ids.get("agent"))).text()).contains("\"voiceSpeed\": 1.1",
          "\"language\": \"es-ES\""));
      checks.check("get_agent", () -> assertThat(new JsonObject(ok("get_agent",
          Map.of("agent_id", ids.get("agent")))).getString("systemPrompt")).isEqualTo("Be brief."));
      checks.check("update_agent", () -> assertThat(ok("update_agent", Map.of("agent_id",
          ids.get("agent"), "name", "Reception"))).startsWith("Agent updated!\n  ID: "
          + ids.get("agent") + "\n  Name: Reception\n"));
      checks.check("attach_number", () -> assertThat(ok("attach_number", Map.of("agent_id",
          ids.get("agent"), "number_id", ids.get("second")))).matches(
          "Attached number \\+\\d+ to agent " + ids.get("agent")));
      checks.check("detach_number", () -> {
        assertThat(ok("detach_number", Map.of("agent_id", ids.get("agent"), "number_id",
            ids.get("second")))).isEqualTo("Detached number " + ids.get("second")
            + " from agent " + ids.get("agent"));
        assertThat(api.get("/v1/numbers/" + ids.get("second"), key).json().getValue("agentId"))
            .isNull();
      });
      checks.check("send_message", () -> assertThat(ok("send_message", Map.of("agent_id", agent,
          "to_number", "+14155550123", "body", "See you at eight"))).startsWith(
          "Message sent!\n  From: " + phone + "\n  To: +14155550123\n  Channel: sms\n"));
      checks.check("get_messages", () -> assertThat(ok("get_messages",
          Map.of("number_id", number))).startsWith("1 message(s):\n\n[")
          .endsWith("] " + phone + " → +14155550123: See you at eight"));
      conversationsAndContacts(agent);
      webhooks(key, agent, phone);
      calls(key, agent, number);
      usage();
      checks.check("delete_webhook", () -> {
        assertThat(ok("delete_webhook", Map.of("agent_id", agent))).isEqualTo("Agent webhook "
            + "deleted. Events will now go to the project-level webhook.");
        assertThat(ok("delete_webhook", Map.of())).isEqualTo("Project webhook deleted.");
        assertThat(api.get("/v1/webhooks", key).body()).isEqualTo("null");
      });
      checks.check("delete_agent", () -> assertThat(ok("delete_agent", Map.of("agent_id",
          ids.get("agent")))).isEqualTo("Deleted agent 'Reception' (" + ids.get("agent") + ")"));
    }
    checks.verify();
    assertThat(called).containsExactlyInAnyOrderElementsOf(McpEndpointTest.OFFICIAL_TOOLS);
  }

  private void conversationsAndContacts(String agent) {
    checks.check("list_conversations", () -> {
      String text = ok("list_conversations", Map.of());
      assertThat(text).startsWith("1 conversation(s):\n\n+14155550123 ↔ ")
          .contains("(1 msgs, last: ", "\"See you at eight\" id=conv_").endsWith("Total: 1");
      ids.put("conversation", after(text, "id="));
      assertThat(ok("list_conversations", Map.of("agent_id", agent))).contains(
          "id=" + ids.get("conversation"));
    });
    checks.check("get_conversation", () -> assertThat(ok("get_conversation",
        Map.of("conversation_id", ids.get("conversation")))).startsWith("Conversation "
        + ids.get("conversation") + "\nContact: +14155550123\n").contains("Messages: 1\n")
        .endsWith(": See you at eight"));
    checks.check("update_conversation", () -> assertThat(ok("update_conversation", Map.of(
        "conversation_id", ids.get("conversation"), "metadata", Map.of("stage", "booked"))))
        .isEqualTo("Conversation updated.\n  ID: " + ids.get("conversation")
            + "\n  Metadata: {\"stage\":\"booked\"}"));
    checks.check("manage_contact", () -> {
      String created = ok("manage_contact", Map.of("action", "create", "phone_number",
          "+14155550177", "name", "Bo Diddley", "email", "bo@example.com"));
      assertThat(created).startsWith("Contact created: Bo Diddley (+14155550177) id=");
      ids.put("contact", after(created, "id="));
      assertThat(ok("manage_contact", Map.of("action", "update", "contact_id", ids.get("contact"),
          "name", "Bo"))).isEqualTo("Contact updated: Bo (+14155550177) id=" + ids.get("contact"));
    });
    checks.check("list_contacts", () -> assertThat(ok("list_contacts", Map.of("search", "Bo")))
        .isEqualTo("1 contact(s):\n\nBo — +14155550177 <bo@example.com> id=" + ids.get("contact")
            + "\n\nTotal: 1"));
    checks.check("manage_contact[delete]", () -> {
      assertThat(ok("manage_contact", Map.of("action", "delete", "contact_id",
          ids.get("contact")))).isEqualTo("Contact " + ids.get("contact") + " deleted.");
      assertThat(ok("list_contacts", Map.of())).isEqualTo("No contacts found.");
    });
  }

  private void webhooks(String key, String agent, String phone) {
    checks.check("set_webhook", () -> {
      assertThat(ok("set_webhook", Map.of("url", customer.url(), "context_limit", 3)))
          .startsWith("Project webhook set!\n  URL: " + customer.url() + "\n  Secret: whsec_")
          .endsWith("\n  Status: active");
      assertThat(ok("set_webhook", Map.of("url", customer.url() + "/agent", "agent_id", agent)))
          .startsWith("Agent " + agent + " webhook set!\n  URL: " + customer.url() + "/agent");
    });
    checks.check("get_webhook", () -> {
      assertThat(new JsonObject(ok("get_webhook", Map.of())).getInteger("contextLimit"))
          .isEqualTo(3);
      assertThat(new JsonObject(ok("get_webhook", Map.of("agent_id", agent))).getString("url"))
          .isEqualTo(customer.url() + "/agent");
    });
    checks.check("test_webhook", () -> {
      assertThat(ok("test_webhook", Map.of())).matches(
          "Webhook test successful!\n  Status code: 200\n  Response time: \\d+ms");
      assertThat(ok("test_webhook", Map.of("agent_id", agent))).startsWith(
          "Agent webhook test successful!\n  Status code: 200");
    });
    checks.check("list_webhook_deliveries", () -> {
      assertThat(ok("list_webhook_deliveries", Map.of())).isEqualTo(
          "No webhook deliveries found.");
      api.post("/sandbox/sms", key, new JsonObject().put("from", "+14155550166")
          .put("to", phone).put("body", "Do you have a table for two?"));
      poll(() -> engine.sql("SELECT 1 FROM webhook_deliveries WHERE account_id = "
          + "(SELECT account_id FROM agents WHERE id = ?) AND status = 'success'", agent)
          .size() == 1);
      String agents = ok("list_webhook_deliveries", Map.of("agent_id", agent, "hours", 1));
      assertThat(agents).matches("(?s)1 delivery\\(ies\\):\n\n\\[\\S+Z] agent\\.message → OK "
          + "\\(200, \\d+ms\\) id=whd_\\S+\n\nTotal: 1");
      assertThat(ok("list_webhook_deliveries", Map.of("limit", 5))).isEqualTo(agents);
    });
  }

  private void calls(String key, String agent, String number) throws Exception {
    checks.check("make_call", () -> {
      String text = ok("make_call", Map.of("agent_id", agent, "to_number", "+14155550123"));
      assertThat(text).startsWith("Call initiated!\n").endsWith("\n  Status: in-progress");
      ids.put("call", after(text, "Call ID: "));
    });
    checks.check("list_calls", () -> {
      String line = "outbound +";
      for (Map<String, Object> scope : java.util.List.<Map<String, Object>>of(Map.of(),
          Map.of("agent_id", agent), Map.of("number_id", number),
          Map.of("direction", "outbound", "status", "in-progress"))) {
        assertThat(ok("list_calls", scope)).as("list_calls %s", scope)
            .startsWith("1 call(s):\n\n[").contains(line, "(in-progress) id=" + ids.get("call"),
                "\n\nTotal: 1\n\nUse get_call with the id= value to fetch transcript.");
      }
      assertThat(ok("list_calls", Map.of("direction", "inbound"))).isEqualTo("No calls found.");
    });
    checks.check("get_call", () -> assertThat(ok("get_call", Map.of("call_id", ids.get("call"))))
        .startsWith("Call " + ids.get("call") + "\nDirection: outbound\n")
        .contains("Status: in-progress\nStarted: "));
    // asked to wait, the tool answers once the call has ended (hung up here a moment later)
    CompletableFuture<McpSession.Result> waited = CompletableFuture.supplyAsync(() ->
        mcp.call("get_call", Map.of("call_id", ids.get("call"), "wait", true, "timeout", 10)));
    Thread.sleep(1500);
    boolean answeredBeforeTheEnd = waited.isDone();
    poll(() -> api.post("/sandbox/calls/" + ids.get("call") + "/hangup", key, null)
        .status() == 200);
    McpSession.Result waitedFor = waited.get(30, TimeUnit.SECONDS);
    called.add("get_call");
    checks.check("get_call[wait]", () -> {
      assertThat(answeredBeforeTheEnd).as("answered while the call was under way: %s",
          waitedFor.text()).isFalse();
      assertThat(waitedFor.error()).as(waitedFor.text()).isFalse();
      assertThat(waitedFor.text()).contains("Status: completed\n", "\nEnded: ");
    });

    checks.check("make_conversation_call", () -> {
      String text = ok("make_conversation_call", Map.of("agent_id", agent, "to_number",
          "+14155550124", "topic", "Book a table for two at eight.", "wait", false));
      assertThat(text).startsWith("Conversation call initiated!\n").endsWith("\n\nThe AI will "
          + "have an autonomous conversation about the topic you provided.\nUse get_call with "
          + "the call ID to check the transcript once the call ends.");
      String prompt = (String) engine.sql("SELECT system_prompt FROM calls WHERE id = ?",
          after(text, "Call ID: ")).get(0).get("system_prompt");
      assertThat(prompt).startsWith(CallTools.AI_DISCLOSURE_SYSTEM)
          .contains("\nBook a table for two at eight.\n--- END OBJECTIVE ---")
          .endsWith("always identify as an AI when asked.");
      poll(() -> api.post("/sandbox/calls/" + after(text, "Call ID: ") + "/hangup", key, null)
          .status() == 200);
    });
    CompletableFuture<McpSession.Result> conversation = CompletableFuture.supplyAsync(() ->
        mcp.call("make_conversation_call", Map.of("agent_id", agent, "to_number",
            "+14155550125", "topic", "Confirm the booking.", "max_wait_seconds", 20)));
    poll(() -> !engine.sql("SELECT id FROM calls WHERE to_number = '+14155550125'").isEmpty());
    String third = (String) engine.sql("SELECT id FROM calls WHERE to_number = '+14155550125'")
        .get(0).get("id");
    poll(() -> api.post("/sandbox/calls/" + third + "/say", key,
        new JsonObject().put("text", "Yes, eight is fine")).status() == 200);
    boolean conversationAnsweredEarly = conversation.isDone();
    poll(() -> api.post("/sandbox/calls/" + third + "/hangup", key, null).status() == 200);
    McpSession.Result finished = conversation.get(60, TimeUnit.SECONDS);
    checks.check("make_conversation_call[wait]", () -> {
      assertThat(conversationAnsweredEarly).as("answered before the call ended: %s",
          finished.text()).isFalse();
      assertThat(finished.text()).startsWith("Call completed!")
          .contains("  Human: Yes, eight is fine");
    });
  }

  private void usage() {
    checks.check("get_usage", () -> {
      assertThat(ok("get_usage", Map.of())).startsWith("Plan: starter\n\nPhone Numbers: 2/")
          .contains("Messages:\n  Total: 2\n", "Calls:\n  Total: 3\n",
              "  Max call duration: ", " min\n  Concurrent calls: ");
      assertThat(ok("get_usage", Map.of("breakdown", "daily", "days", 2)))
          .startsWith("Daily usage (last 2 days):\n\n")
          .containsPattern("\\d{4}-\\d\\d-\\d\\d: 2 msgs, \\d calls, \\d+ voice min$");
      assertThat(ok("get_usage", Map.of("breakdown", "monthly", "months", 1)))
          .matches("Monthly usage \\(last 1 months\\):\n\n\\d{4}-\\d\\d: 2 msgs, \\d calls, "
              + "\\d+ voice min");
    });
  }
}

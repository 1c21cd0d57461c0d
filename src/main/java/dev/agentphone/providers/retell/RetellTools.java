package dev.agentphone.providers.retell;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * The tools a hosted agent's Retell LLM is given ({@code general_tools}): the agent's custom
 * tools, and the engine's messaging tools while {@code enableMessaging} is on. Each is a Retell
 * custom function whose URL is the engine's own tool endpoint ({@link ToolUrls}): the engine
 * runs the tool and answers Retell with its result.
 */
public final class RetellTools {
  /** Texts the caller (or a number the model names) from the agent's number during a call. */
  public static final String SEND_MESSAGE = "send_message";
  /** The latest messages between the agent's number and the caller. */
  public static final String READ_MESSAGES = "read_messages";
  /** How long a tool may take when its {@code timeoutMs} is not set. */
  public static final int DEFAULT_TIMEOUT_MS = 10_000;
  /** Retell waits this much longer than the tool, so the engine answers first, even on a time-out. */
  static final int RETELL_MARGIN_MS = 5_000;
  /** Names no custom tool may take: Retell's built-in tools and the engine's own. */
  public static final Set<String> RESERVED = Set.of("end_call", "transfer_call", "press_digit",
      "send_sms", "check_availability_cal", "book_appointment_cal", "extract_dynamic_variable",
      "agent_swap", "bridge_transfer", "cancel_transfer", "mcp", SEND_MESSAGE, READ_MESSAGES);

  private RetellTools() {
  }

  /** The engine's messaging tools, in the shape of custom tools ({@code name, description, parameters}). */
  public static JsonArray messagingTools() {
    return new JsonArray()
        .add(new JsonObject().put("name", SEND_MESSAGE)
            .put("description", "Send a text message (SMS, or iMessage where the line has it) "
                + "from this agent's number during the call. It goes to the caller unless "
                + "another phone number is given.")
            .put("parameters", new JsonObject().put("type", "object")
                .put("properties", new JsonObject()
                    .put("body", new JsonObject().put("type", "string")
                        .put("description", "The text to send"))
                    .put("to", new JsonObject().put("type", "string")
                        .put("description", "An E.164 number; leave out to text the caller")))
                .put("required", new JsonArray().add("body"))))
        .add(new JsonObject().put("name", READ_MESSAGES)
            .put("description", "Read the latest text messages between this agent's number "
                + "and the caller.")
            .put("parameters", new JsonObject().put("type", "object")
                .put("properties", new JsonObject())));
  }

  /** The {@code general_tools} for {@code agent} (our AgentResponse shape, defaults applied). */
  static JsonArray generalTools(JsonObject agent, ToolUrls urls, String publicUrl) {
    JsonArray tools = new JsonArray();
    String agentId = agent.getString("id");
    JsonArray custom = agent.getJsonArray("customTools");
    if (custom != null) {
      for (Object entry : custom) {
        JsonObject tool = (JsonObject) entry;
        tools.add(function(tool, urls.url(publicUrl, agentId, tool.getString("name"))));
      }
    }
    if (!Boolean.FALSE.equals(agent.getBoolean("enableMessaging"))) {
      for (Object entry : messagingTools()) {
        JsonObject tool = (JsonObject) entry;
        tools.add(function(tool, urls.url(publicUrl, agentId, tool.getString("name"))));
      }
    }
    return tools;
  }

  /** One tool as a Retell custom function calling {@code url}. */
  private static JsonObject function(JsonObject tool, String url) {
    JsonObject parameters = tool.getJsonObject("parameters");
    if (parameters == null) {
      parameters = new JsonObject();
    }
    parameters = parameters.copy();
    if (!parameters.containsKey("type")) {
      parameters.put("type", "object");
    }
    if (!parameters.containsKey("properties")) {
      parameters.put("properties", new JsonObject());
    }
    boolean speak = Boolean.TRUE.equals(tool.getValue("speakDuringExecution"));
    Integer timeout = tool.getInteger("timeoutMs");
    JsonObject function = new JsonObject()
        .put("type", "custom")
        .put("name", tool.getString("name"))
        .put("description", tool.getString("description"))
        .put("url", url)
        .put("method", "POST")
        .put("parameters", parameters)
        .put("speak_during_execution", speak)
        .put("speak_after_execution", true)
        .put("timeout_ms", (timeout == null ? DEFAULT_TIMEOUT_MS : timeout) + RETELL_MARGIN_MS);
    String message = tool.getString("executionMessage");
    if (speak && message != null && !message.isBlank()) {
      function.put("execution_message_description", message)
          .put("execution_message_type", "static_text");
    }
    return function;
  }
}

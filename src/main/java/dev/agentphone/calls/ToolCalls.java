package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.retell.RetellTools;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/**
 * Runs the tools of an agent during one of its calls, whoever asks: Retell's LLM (a hosted
 * agent's custom function, {@link #fromRetell}), the built-in responder, or a webhook-mode
 * answer naming a tool. Custom tools go to the customer's URL ({@link ToolRunner}); the
 * messaging tools, while {@code enableMessaging} is on, are the engine's own
 * ({@link MessagingTools}).
 */
final class ToolCalls {
  private final Pool pool;
  private final AgentsApi agents;
  private final CallAdoption adoption;
  private final ToolRunner runner;
  private final MessagingTools messaging;

  ToolCalls(Pool pool, AgentsApi agents, CallAdoption adoption, ToolRunner runner,
      MessagingTools messaging) {
    this.pool = pool;
    this.agents = agents;
    this.adoption = adoption;
    this.runner = runner;
    this.messaging = messaging;
  }

  /**
   * The tools {@code agent} (an AgentResponse) may call, as {@code {name, description,
   * parameters}}: its custom tools, and with {@code messaging} the engine's messaging tools
   * while {@code enableMessaging} is on.
   */
  static JsonArray described(JsonObject agent, boolean messaging) {
    JsonArray tools = new JsonArray();
    JsonArray custom = agent.getJsonArray("customTools");
    if (custom != null) {
      custom.forEach(t -> {
        JsonObject tool = (JsonObject) t;
        tools.add(new JsonObject().put("name", tool.getString("name"))
            .put("description", tool.getString("description"))
            .put("parameters", tool.getValue("parameters")));
      });
    }
    if (messaging && !Boolean.FALSE.equals(agent.getBoolean("enableMessaging"))) {
      RetellTools.messagingTools().forEach(tools::add);
    }
    return tools;
  }

  /** The custom tool of {@code agent} named {@code name}; null when it has none. */
  static JsonObject custom(JsonObject agent, String name) {
    JsonArray custom = agent.getJsonArray("customTools");
    if (custom == null || name == null) {
      return null;
    }
    for (Object t : custom) {
      if (name.equals(((JsonObject) t).getString("name"))) {
        return (JsonObject) t;
      }
    }
    return null;
  }

  /** Runs {@code agent}'s tool {@code name} for {@code call}; an unknown tool is an error result. */
  Future<ToolResult> run(CallParties call, JsonObject agent, String name, JsonObject args) {
    JsonObject arguments = args == null ? new JsonObject() : args;
    if (MessagingTools.handles(name)
        && !Boolean.FALSE.equals(agent.getBoolean("enableMessaging"))) {
      return messaging.run(call, name, arguments);
    }
    JsonObject tool = custom(agent, name);
    if (tool == null) {
      return Future.succeededFuture(ToolResult.failed("This agent has no tool named " + name));
    }
    return runner.run(tool, arguments, call.toJson());
  }

  /**
   * Retell's request for {@code {agentId, tool, body: {call, name, args}}}, whose secret URL and
   * signature the route checked: the call must be one of the agent's (a call we have not seen yet
   * is confirmed with Retell first). Answers {@code {contentType, body}}, the tool's answer.
   */
  Future<JsonObject> fromRetell(JsonObject request) {
    String agentId = request.getString("agentId");
    String name = request.getString("tool");
    JsonObject body = request.getJsonObject("body", new JsonObject());
    JsonObject retellCall = body.getValue("call") instanceof JsonObject c ? c : new JsonObject();
    String retellCallId = retellCall.getString("call_id");
    if (retellCallId == null) {
      return Future.failedFuture(ApiError.badRequest("The request names no call"));
    }
    JsonObject args = body.getValue("args") instanceof JsonObject a ? a : new JsonObject();
    return ours(retellCallId, agentId).compose(row -> {
      CallParties call = CallParties.of(row);
      return agents.get(call.accountId(), agentId)
          .compose(agent -> run(call, agent, name, args));
    }).map(result -> new JsonObject().put("contentType", result.contentType())
        .put("body", result.body()));
  }

  /** The call Retell names, which must be of {@code agentId}. */
  private Future<Row> ours(String retellCallId, String agentId) {
    return CallStore.byRetellId(pool, retellCallId)
        .compose(row -> row != null ? Future.succeededFuture(row)
            : adoption.confirm(retellCallId, agentId)
                .compose(confirmed -> CallStore.byId(pool, confirmed.getString("callId"))))
        .map(row -> {
          if (row == null || !agentId.equals(row.getString("agent_id"))) {
            throw new ApiError(403, "The call is not one of this agent's");
          }
          return row;
        });
  }
}

package dev.agentphone.lab;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.List;

/**
 * Puts the scenario's agent on the account's number: {@code starter} (the account's own),
 * an agent id, or an inline agent (a map of {@code POST /v1/agents} fields plus {@code webhook}:
 * a URL, or a {@link WebhookBehaviour} the runner serves itself). An inline agent is in webhook
 * voice mode when it has a webhook, else hosted, unless it says otherwise.
 */
final class AgentSetup {
  private AgentSetup() {
  }

  /** The id of the agent that answers the account's number from now on. */
  static String apply(Object agent, LabAccount account, EventLog events,
      List<AutoCloseable> resources) throws IOException {
    LabHttp http = account.http();
    String agentId;
    if (agent == null || "starter".equals(agent)) {
      return account.starterAgentId();
    } else if (agent instanceof String id) {
      http.get("/v1/agents/" + id).required();
      agentId = id;
    } else if (agent instanceof JsonObject inline) {
      agentId = create(inline, http, events, resources);
    } else {
      throw new ScenarioException("agent: write starter, an agent id, or an inline agent map");
    }
    if (!agentId.equals(account.starterAgentId())) {
      http.post("/v1/agents/" + agentId + "/numbers",
          new JsonObject().put("numberId", account.numberId())).required();
    }
    return agentId;
  }

  private static String create(JsonObject inline, LabHttp http, EventLog events,
      List<AutoCloseable> resources) throws IOException {
    JsonObject fields = inline.copy();
    Object webhook = fields.remove("webhook");
    if (!fields.containsKey("voiceMode")) {
      fields.put("voiceMode", webhook != null ? "webhook" : "hosted");
    }
    fields.put("name", fields.getString("name", "Lab agent"));
    String agentId = http.post("/v1/agents", fields).required().getString("id");
    JsonObject hook = null;
    if (webhook instanceof String url) {
      hook = new JsonObject().put("url", url);
    } else if (webhook instanceof JsonObject spec) {
      WebhookBehaviour behaviour = WebhookBehaviour.of(spec);
      WebhookServer server = new WebhookServer(events, behaviour);
      resources.add(server);
      hook = new JsonObject().put("url", server.url());
      if (behaviour.timeout() != null) {
        hook.put("timeout", behaviour.timeout());
      }
    } else if (webhook != null) {
      throw new ScenarioException("agent.webhook: write a URL or a map such as {delay: 6s}");
    }
    if (hook != null) {
      http.post("/v1/agents/" + agentId + "/webhook", hook).required();
    }
    return agentId;
  }
}

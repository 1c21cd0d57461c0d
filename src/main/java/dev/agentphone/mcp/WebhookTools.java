package dev.agentphone.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Webhooks, the account's or (with {@code agent_id}) an agent's own: get_webhook, set_webhook,
 * delete_webhook, test_webhook, list_webhook_deliveries.
 */
final class WebhookTools {
  private WebhookTools() {
  }

  static void register(Map<String, Tool> tools) {
    tools.put("get_webhook", WebhookTools::get);
    tools.put("set_webhook", WebhookTools::set);
    tools.put("delete_webhook", WebhookTools::delete);
    tools.put("test_webhook", WebhookTools::test);
    tools.put("list_webhook_deliveries", WebhookTools::deliveries);
  }

  private static boolean forAgent(Arguments args) {
    return !NumberTools.empty(args.string("agent_id"));
  }

  /** The account's webhook, or the agent's with {@code agent_id}. */
  private static String path(Arguments args) {
    return forAgent(args) ? "/v1/agents/" + args.encoded("agent_id") + "/webhook"
        : "/v1/webhooks";
  }

  private static Future<String> get(Arguments args, LoopbackApi.Caller api) {
    return api.get(path(args)).map(result -> {
      if (!Js.truthy(result)) {
        return forAgent(args)
            ? "No agent-specific webhook configured. Events go to the project-level webhook."
            : "No webhook configured.";
      }
      return Js.pretty(result);
    });
  }

  private static Future<String> set(Arguments args, LoopbackApi.Caller api) {
    JsonObject body = args.body("url", "url", "context_limit", "contextLimit",
        "timeout", "timeout");
    String scope = forAgent(args) ? "Agent " + args.string("agent_id") : "Project";
    return api.post(path(args), body).map(result -> scope + " webhook set!\n  URL: "
        + Js.text(result, "url") + "\n  Secret: " + Js.text(result, "secret") + "\n  Status: "
        + Js.text(result, "status"));
  }

  private static Future<String> delete(Arguments args, LoopbackApi.Caller api) {
    return api.delete(path(args)).map(result -> forAgent(args)
        ? "Agent webhook deleted. Events will now go to the project-level webhook."
        : "Project webhook deleted.");
  }

  private static Future<String> test(Arguments args, LoopbackApi.Caller api) {
    String scope = forAgent(args) ? "Agent webhook" : "Webhook";
    return api.post(path(args) + "/test", null)
        .map(result -> Js.truthy(Js.get(result, "success"))
            ? scope + " test successful!\n  Status code: " + Js.text(result, "statusCode")
                + "\n  Response time: " + Js.text(result, "responseMs") + "ms"
            : scope + " test failed.\n  Error: " + Js.text(result, "error") + "\n  Status code: "
                + Js.text(result, "statusCode"));
  }

  private static Future<String> deliveries(Arguments args, LoopbackApi.Caller api) {
    String path = (forAgent(args) ? "/v1/agents/" + args.encoded("agent_id")
        + "/webhook/deliveries" : "/v1/webhooks/deliveries") + "?limit=" + args.text("limit");
    if (args.has("hours")) {
      path += "&hours=" + args.text("hours");
    }
    return api.get(path).map(result -> {
      JsonArray data = Js.array(Js.get(result, "data"));
      if (data.isEmpty()) {
        return "No webhook deliveries found.";
      }
      List<String> lines = new ArrayList<>();
      for (Object d : data) {
        lines.add("[" + Js.text(d, "deliveredAt") + "] " + Js.text(d, "event") + " → "
            + (Js.truthy(Js.get(d, "success")) ? "OK" : "FAILED") + " ("
            + Js.text(Js.orElse(Js.get(d, "statusCode"), "N/A")) + ", "
            + Js.text(Js.orElse(Js.get(d, "responseMs"), "N/A")) + "ms) id="
            + Js.text(d, "id"));
      }
      return data.size() + " delivery(ies):\n\n" + String.join("\n", lines) + "\n\nTotal: "
          + Js.text(result, "total");
    });
  }
}

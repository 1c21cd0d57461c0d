package dev.agentphone.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The account as a whole: account_overview and get_usage. */
final class AccountTools {
  private AccountTools() {
  }

  static void register(Map<String, Tool> tools) {
    tools.put("account_overview", AccountTools::overview);
    tools.put("get_usage", AccountTools::usage);
  }

  /** Four reads at once; a failed one is said so in its section, the others still show. */
  private static Future<String> overview(Arguments args, LoopbackApi.Caller api) {
    Future<Object> agents = api.get("/v1/agents?limit=100&offset=0");
    Future<Object> numbers = api.get("/v1/numbers?limit=100&offset=0");
    Future<Object> webhook = api.get("/v1/webhooks");
    Future<Object> usage = api.get("/v1/usage");
    return Future.join(agents, numbers, webhook, usage).transform(done -> {
      List<String> s = new ArrayList<>();
      s.add("=== Account Overview ===");
      if (usage.succeeded()) {
        Object u = usage.result();
        s.add("Plan: " + Js.text(u, "plan", "name"));
        s.add("Phone Numbers: " + Js.text(u, "numbers", "used") + "/"
            + Js.text(u, "numbers", "limit") + " used (" + Js.text(u, "numbers", "remaining")
            + " remaining)");
      }
      s.add("");
      agents(s, agents);
      s.add("");
      numbers(s, numbers);
      s.add("");
      s.add("--- Webhook ---");
      if (webhook.succeeded() && webhook.result() != null) {
        s.add("  URL: " + Js.text(webhook.result(), "url"));
        s.add("  Status: " + Js.text(webhook.result(), "status"));
      } else if (webhook.succeeded()) {
        s.add("  Not configured. Use set_webhook to receive inbound messages and call events.");
      } else {
        s.add("  Failed to load.");
      }
      s.add("");
      if (usage.succeeded()) {
        s.add("--- Recent Activity ---");
        s.add("  Messages (30d): " + Js.text(usage.result(), "stats", "messagesLast30d")
            + "  Calls (30d): " + Js.text(usage.result(), "stats", "callsLast30d"));
      }
      return Future.succeededFuture(String.join("\n", s));
    });
  }

  private static void agents(List<String> s, Future<Object> agents) {
    if (agents.failed()) {
      s.add("--- Agents ---");
      s.add("  Failed to load. " + ToolErrors.text(agents.cause()));
      return;
    }
    JsonArray data = Js.array(Js.get(agents.result(), "data"));
    if (data.isEmpty()) {
      s.add("--- Agents ---");
      s.add("  None yet. Use create_agent to get started.");
      return;
    }
    s.add("--- Agents (" + data.size() + ") ---");
    for (Object a : data) {
      List<String> phones = new ArrayList<>();
      for (Object n : Js.array(Js.get(a, "numbers"))) {
        phones.add(Js.text(n, "phoneNumber"));
      }
      s.add("  " + Js.text(a, "name") + " (id=" + Js.text(a, "id") + ", voiceMode="
          + Js.text(a, "voiceMode") + ", "
          + (phones.isEmpty() ? "no numbers" : String.join(", ", phones)) + ")");
    }
  }

  private static void numbers(List<String> s, Future<Object> numbers) {
    if (numbers.failed()) {
      s.add("--- Phone Numbers ---");
      s.add("  Failed to load.");
      return;
    }
    JsonArray data = Js.array(Js.get(numbers.result(), "data"));
    if (data.isEmpty()) {
      s.add("--- Phone Numbers ---");
      s.add("  None yet. Use buy_number to provision one.");
      return;
    }
    s.add("--- Phone Numbers (" + data.size() + ") ---");
    for (Object n : data) {
      Object agent = Js.get(n, "agentId");
      s.add("  " + Js.text(n, "phoneNumber") + " (id=" + Js.text(n, "id") + ", "
          + Js.text(n, "country") + ", " + Js.text(n, "status") + ", "
          + (Js.truthy(agent) ? "agent=" + Js.text(agent) : "unassigned") + ")");
    }
  }

  private static Future<String> usage(Arguments args, LoopbackApi.Caller api) {
    String breakdown = args.string("breakdown");
    if ("daily".equals(breakdown) || "monthly".equals(breakdown)) {
      boolean daily = "daily".equals(breakdown);
      String span = daily ? args.text("days") : args.text("months");
      return api.get(daily ? "/v1/usage/daily?days=" + span : "/v1/usage/monthly?months=" + span)
          .map(result -> {
            JsonArray data = Js.array(Js.get(result, "data"));
            if (data.isEmpty()) {
              return "No usage data for this period.";
            }
            List<String> lines = new ArrayList<>();
            for (Object p : data) {
              lines.add(Js.text(p, daily ? "date" : "month") + ": " + Js.text(p, "messages")
                  + " msgs, " + Js.text(p, "calls") + " calls, " + Js.text(p, "voiceMinutes")
                  + " voice min");
            }
            return (daily ? "Daily usage (last " + span + " days):\n\n"
                : "Monthly usage (last " + span + " months):\n\n") + String.join("\n", lines);
          });
    }
    return api.get("/v1/usage").map(AccountTools::summary);
  }

  private static String summary(Object u) {
    return String.join("\n", List.of(
        "Plan: " + Js.text(u, "plan", "name"),
        "",
        "Phone Numbers: " + Js.text(u, "numbers", "used") + "/" + Js.text(u, "numbers", "limit")
            + " (" + Js.text(u, "numbers", "remaining") + " remaining)",
        "",
        "Messages:",
        "  Total: " + Js.text(u, "stats", "totalMessages"),
        "  Last 24h: " + Js.text(u, "stats", "messagesLast24h"),
        "  Last 7d: " + Js.text(u, "stats", "messagesLast7d"),
        "  Last 30d: " + Js.text(u, "stats", "messagesLast30d"),
        "",
        "Calls:",
        "  Total: " + Js.text(u, "stats", "totalCalls"),
        "  Last 24h: " + Js.text(u, "stats", "callsLast24h"),
        "  Last 7d: " + Js.text(u, "stats", "callsLast7d"),
        "  Last 30d: " + Js.text(u, "stats", "callsLast30d"),
        "",
        "Webhooks:",
        "  Delivered: " + Js.text(u, "stats", "totalWebhookDeliveries") + " ("
            + Js.text(u, "stats", "successfulWebhookDeliveries") + " ok, "
            + Js.text(u, "stats", "failedWebhookDeliveries") + " failed)",
        "",
        "Plan Limits:",
        "  Max numbers: " + Js.text(u, "plan", "limits", "numbers"),
        "  Messages/month: " + Js.text(u, "plan", "limits", "messagesPerMonth"),
        "  Voice minutes/month: " + Js.text(u, "plan", "limits", "voiceMinutesPerMonth"),
        "  Max call duration: " + Js.text(u, "plan", "limits", "maxCallDurationMinutes") + " min",
        "  Concurrent calls: " + Js.text(u, "plan", "limits", "concurrentCalls")));
  }
}

package dev.agentphone.lab;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one scenario: an account (a new one on the runner's own engine, else the key's), a
 * recorder as the account's webhook so {@code expect: {webhook: …}} can see what the engine
 * sends, the scenario's agent on the account's number, then its steps.
 */
final class ScenarioRun {
  private ScenarioRun() {
  }

  /** {@code anonymous}: the engine without a key (sign-up); {@code key} null: sign up. */
  static ScenarioResult run(Scenario scenario, LabHttp anonymous, String key,
      Consumer<String> print) {
    List<String> lines = new ArrayList<>();
    Consumer<String> out = line -> {
      lines.add(line);
      print.accept(line);
    };
    out.accept(scenario.name() + "  (" + scenario.file() + ")");
    long started = System.nanoTime();
    List<AutoCloseable> resources = new ArrayList<>();
    String failure;
    try {
      LabAccount account = key == null
          ? LabAccount.signUp(anonymous, "lab-" + System.nanoTime() + "@example.com")
          : LabAccount.ofKey(anonymous.withKey(key));
      EventLog events = new EventLog();
      recorder(account.http(), events, resources, key == null);
      String agentId = AgentSetup.apply(scenario.agent(), account, events, resources);
      RunContext context = new RunContext(account, agentId, events);
      failure = new StepRunner(context, out).play(scenario.steps(), new CallState(), "");
    } catch (Exception e) {
      failure = "setup: " + e.getMessage();
      out.accept("  FAIL setup: " + e.getMessage());
    } finally {
      for (AutoCloseable resource : resources) {
        try {
          resource.close();
        } catch (Exception ignored) {
          // a webhook server that is already gone
        }
      }
    }
    return new ScenarioResult(scenario.name(), scenario.file(),
        (System.nanoTime() - started) / 1_000_000, lines, failure);
  }

  /**
   * Points the account's webhook at a recorder. On a shared engine ({@code --base}) an
   * account that already has a webhook keeps it, and events are seen only on agent webhooks
   * the runner serves; a webhook the runner set is removed afterwards.
   */
  private static void recorder(LabHttp http, EventLog events, List<AutoCloseable> resources,
      boolean ownAccount) throws Exception {
    if (!ownAccount && http.get("/v1/webhooks").ok()) {
      return;
    }
    // it answers voice turns too, as a webhook-mode agent without a webhook of its own asks it
    WebhookServer server = new WebhookServer(events, WebhookBehaviour.of(new JsonObject()));
    resources.add(server);
    http.post("/v1/webhooks", new JsonObject().put("url", server.url())).required();
    if (!ownAccount) {
      resources.add(0, () -> http.delete("/v1/webhooks"));
    }
  }
}

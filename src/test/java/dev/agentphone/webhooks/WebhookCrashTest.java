package dev.agentphone.webhooks;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.support.Api;
import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server process killed with SIGKILL in the middle of a burst loses nothing: another server on
 * the same database delivers every event, the ones that were in flight with their original ids.
 */
class WebhookCrashTest {
  static final int EVENTS = 300;

  @Test
  void aKilledServerLosesNoDelivery() throws Exception {
    String database = TestDatabase.fresh();
    int port = TestEngine.freePort();
    Path config = Files.createTempFile("agentphone-crash", ".json");
    Files.writeString(config, AppConfig.withOverrides(Map.of(
        "http.port", port, "http.instances", 1, "publicUrl", "http://localhost:" + port,
        "database.url", database, "database.poolSize", 8,
        "rateLimit.requestsPerSecond", 0,
        // the lease a claim takes is the attempt's timeout plus this margin
        "webhooks.leaseMarginMs", 100)).json().encode());
    Path log = Files.createTempFile("agentphone-crash", ".log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.agentphone.Main")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("AGENTPHONE_CONFIG", config.toString());

    try (Receiver receiver = new Receiver()) {
      // slow answers, so that many deliveries are in flight when the process dies
      receiver.respond(hit -> new Receiver.Reply(200, Map.of(), "ok", 300));
      Process process = builder.start();
      Set<String> idsBeforeKill = new HashSet<>();
      try {
        Api api = new Api("http://localhost:" + port);
        awaitHealthy(api, process, log);
        String email = "crash-" + System.nanoTime() + "@example.com";
        String verification = api.post("/v0/agent/sign-up", null,
            new JsonObject().put("human_email", email)).json().getString("verification_id");
        JsonObject owner = api.post("/v0/agent/verify", null, new JsonObject()
            .put("verification_id", verification).put("otp_code", api.latestCode(email))).json();
        api.post("/v1/webhooks", owner.getString("api_key"), new JsonObject()
            .put("url", receiver.url("/crash")).put("timeout", 5));

        TestDatabase.sql(database, "INSERT INTO events (id, account_id, agent_id, type, channel, "
                + "data) SELECT 'evt_crash_' || g, ?, ?, 'agent.message', 'sms', "
                + "jsonb_build_object('messageId', 'msg_crash_' || g, 'message', 'burst ' || g) "
                + "FROM generate_series(1, ?) g",
            owner.getString("account_id"), owner.getString("agent_id"), EVENTS);
        TestDatabase.sql(database, "NOTIFY agentphone_events");
        receiver.awaitPath(20, "/crash");
      } finally {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
      receiver.onPath("/crash").forEach(hit -> idsBeforeKill.add(hit.id()));
      List<Map<String, Object>> leased = TestDatabase.sql(database, "SELECT count(*) AS n "
          + "FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at > now()");
      assertThat((Long) leased.get(0).get("n")).as("deliveries in flight at the kill").isPositive();

      receiver.respond(hit -> Receiver.Reply.ok());
      try (TestEngine survivor = TestEngine.builder().database(database).config(Map.of(
          "webhooks.leaseMarginMs", 100, "webhooks.pollIntervalMs", 200)).start()) {
        Fixtures.awaitRow(survivor, row -> ((Long) row.get("n")) == EVENTS,
            "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'success'");
        assertThat(survivor.sql("SELECT count(*) AS n FROM webhook_deliveries").get(0).get("n"))
            .isEqualTo((long) EVENTS);
        Set<String> deliveryIds = new HashSet<>();
        survivor.sql("SELECT id FROM webhook_deliveries").forEach(r -> deliveryIds.add((String) r.get("id")));

        Set<String> messages = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Receiver.Hit hit : receiver.onPath("/crash")) {
          messages.add(hit.json().getJsonObject("data").getString("message"));
          ids.add(hit.id());
        }
        assertThat(messages).hasSize(EVENTS);
        // one id per delivery, the same before and after the crash
        assertThat(ids).isEqualTo(deliveryIds);
        assertThat(deliveryIds).containsAll(idsBeforeKill);
      }
    }
  }

  private static void awaitHealthy(Api api, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("server exited: " + Files.readString(log));
      }
      try {
        if (api.get("/health", null).status() == 200) {
          return;
        }
      } catch (IllegalStateException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not become healthy: " + Files.readString(log));
  }
}

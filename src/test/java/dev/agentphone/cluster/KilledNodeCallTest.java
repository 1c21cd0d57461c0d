package dev.agentphone.cluster;

import dev.agentphone.support.Api;
import dev.agentphone.support.EngineProcess;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two engine processes in a cluster on one PostgreSQL; the one holding a live sandbox call is
 * killed with SIGKILL. The simulated Retell died with it, so nothing will ever end the call but
 * the survivor's reconciler: it finds the call's session gone, and once the plan's maximum
 * duration (10 s: plan minutes last a second here) and the margin have passed, ends the call as
 * {@code session_lost}, with {@code agent.call_ended} recorded once.
 */
class KilledNodeCallTest {
  @Test
  void aCallOnAKilledNodeIsFinalisedByTheReconcilerOnTheSurvivor() throws Exception {
    String database = TestDatabase.fresh();
    Map<String, String> env = new HashMap<>();
    env.put("AGENTPHONE_CONFIG", config().toString());
    env.put("AGENTPHONE_DATABASE_URL", database);
    env.put("AGENTPHONE_DATABASE_POOL_SIZE", "4");
    env.put("AGENTPHONE_HTTP_INSTANCES", "1");
    env.put("AGENTPHONE_RATE_LIMIT_RPS", "0");
    env.put("AGENTPHONE_CLUSTER", "true");
    env.put("AGENTPHONE_CLUSTER_NAME", "kill-" + UUID.randomUUID());
    env.put("AGENTPHONE_CLUSTER_HOST", "127.0.0.1");
    env.put("AGENTPHONE_CLUSTER_MEMBERS", "127.0.0.1");
    env.put("AGENTPHONE_CLUSTER_PORT", "5801");

    try (EngineProcess a = EngineProcess.start("a", env);
         EngineProcess b = EngineProcess.start("b", env)) {
      a.awaitReady(90_000);
      b.awaitReady(90_000);

      String email = "killed-" + System.nanoTime() + "@example.com";
      Api.Response signUp = a.api.post("/v0/agent/sign-up", null,
          new JsonObject().put("human_email", email));
      assertThat(signUp.status()).as(signUp.body()).isEqualTo(200);
      JsonObject account = a.api.post("/v0/agent/verify", null, new JsonObject()
          .put("verification_id", signUp.json().getString("verification_id"))
          .put("otp_code", a.api.latestCode(email))).json();
      String key = account.getString("api_key");

      // a caller dials the number through node A's simulated Retell: the call lives on A
      Api.Response dialed = a.api.post("/sandbox/calls", key, new JsonObject()
          .put("from", "+14155550144").put("to", account.getString("phone_number")));
      assertThat(dialed.status()).as(dialed.body() + "\n" + a.output()).isEqualTo(200);
      String callId = dialed.json().getString("callId");
      RetellDriver.poll(() -> TestDatabase.sql(database, "SELECT 1 FROM calls WHERE id = ? "
          + "AND session_seen_at IS NOT NULL", callId).size() == 1);
      assertThat(b.api.get("/v1/calls/" + callId, key).json().getString("status"))
          .isEqualTo("in-progress");

      a.kill();

      RetellDriver.poll(40_000, () -> !"in-progress".equals(
          b.api.get("/v1/calls/" + callId, key).json().getString("status")));
      JsonObject ended = b.api.get("/v1/calls/" + callId, key).json();
      assertThat(ended.getString("status")).as(b.output()).isEqualTo("completed");
      assertThat(ended.getString("disconnectionReason")).isEqualTo("session_lost");
      // charged until the session was last seen, not up to the maximum duration
      assertThat(ended.getInteger("durationSeconds")).isLessThan(10);
      assertThat(TestDatabase.sql(database, "SELECT count(*) AS n FROM events WHERE type = "
          + "'agent.call_ended' AND data->>'callId' = ?", callId).get(0).get("n")).isEqualTo(1L);
      assertThat(b.api.get("/health", null).status()).isEqualTo(200);
    }
  }

  /** The shipped configuration with short reconciler periods and one-second plan minutes. */
  private static Path config() throws Exception {
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf/agentphone.json")));
    conf.getJsonObject("calls").put("sessionHeartbeatMillis", 300);
    conf.getJsonObject("calls").getJsonObject("reconciler")
        .put("intervalMillis", 300).put("leaseMillis", 2000).put("sessionStaleMillis", 1200)
        .put("lostCallMarginMillis", 2000);
    conf.getJsonObject("plans").put("minuteSeconds", 1);
    conf.getJsonObject("plans").getJsonObject("catalog").getJsonObject("starter")
        .getJsonObject("limits").put("maxCallDurationMinutes", 10);
    Path file = Files.createTempFile("agentphone-kill", ".json");
    Files.writeString(file, conf.encodePrettily());
    return file;
  }
}

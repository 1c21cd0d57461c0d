package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.agentphone.support.RetellDriver.poll;
import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls whose node died. Node A takes the call and is shut down with it (its session and
 * heartbeat stop); node B, on the same database, finds the call without a session and settles
 * it from Retell's record. Retell is a fake of its REST API at the network edge; plan minutes
 * last a second, so a call's maximum duration is 10 s here.
 */
class CallReconcilerTest {
  static final String KEY = "key_reconciler";
  FakeRetellApi fake;
  String database;
  TestEngine a;
  TestEngine b;

  @BeforeEach
  void start() {
    fake = new FakeRetellApi();
    database = TestDatabase.fresh();
    a = node(30_000);
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    fake.close();
  }

  private TestEngine node(long retellTimeoutMillis) {
    Map<String, Object> settings = new HashMap<>(Map.of(
        "retell.apiKey", KEY, "retell.baseUrl", fake.baseUrl(),
        "retell.requestTimeoutMillis", retellTimeoutMillis,
        "calls.sessionHeartbeatMillis", 200,
        "calls.reconciler.intervalMillis", 200,
        "calls.reconciler.leaseMillis", 1000,
        "calls.reconciler.sessionStaleMillis", 800,
        "calls.reconciler.lostCallMarginMillis", 1000,
        "calls.reconciler.placementTimeoutMillis", 500));
    settings.put("plans.minuteSeconds", 1);
    settings.put("plans.catalog.starter.limits.maxCallDurationMinutes", 10);
    return TestEngine.builder().database(database).config(settings).start();
  }

  /** Node A dies (its Vert.x closes with the call's session on it); node B starts. */
  private void nodeAFailsOverToB() {
    nodeAFailsOverToB(false);
  }

  /**
   * As a crash: with {@code abruptly}, node A loses its database first, so nothing it still had
   * in hand (a placement waiting for Retell) is written on its way down.
   */
  private void nodeAFailsOverToB(boolean abruptly) {
    if (abruptly) {
      a.engine.pool().close();
    }
    a.close();
    a = null;
    b = node(500);
  }

  private JsonObject account(TestEngine node) {
    JsonObject account = node.signUp("reconcile-" + System.nanoTime() + "@example.com");
    poll(() -> fake.numbers.containsKey(account.getString("phone_number")));
    return account;
  }

  private static long endedEvents(TestEngine node, String callId) {
    return (Long) node.sql("SELECT count(*) AS n FROM events WHERE type = 'agent.call_ended' "
        + "AND data->>'callId' = ?", callId).get(0).get("n");
  }

  private static JsonObject awaitEnded(TestEngine node, String key, String callId) {
    poll(20_000, () -> !"in-progress".equals(node.api.get("/v1/calls/" + callId, key).json()
        .getString("status")));
    return node.api.get("/v1/calls/" + callId, key).json();
  }

  @Test
  void aCallWhoseSessionDiedIsFinalisedFromRetellsRecord() {
    JsonObject account = account(a);
    String key = account.getString("api_key");
    String rid = "rc_lost_ended_" + System.nanoTime();
    String callId;
    long started = System.currentTimeMillis();
    try (RetellDriver retell = new RetellDriver(a, fake, KEY)) {
      assertThat(retell.webhook("call_started", RetellDriver.call(rid, "inbound",
          "+14155550190", account.getString("phone_number")).put("start_timestamp", started))
          .status()).isEqualTo(204);
      callId = a.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
          .getString("id");
      retell.webhook("transcript_updated", RetellDriver.call(rid, "inbound", "+14155550190",
          account.getString("phone_number")).put("transcript_object",
          transcript("agent", "Hello!", "user", "Hi, one question")));
      poll(() -> !a.sql("SELECT 1 FROM call_turns WHERE call_id = ?", callId).isEmpty());
      // the caller hangs up; Retell's call_ended never arrives, the node is gone
      retell.remember(new JsonObject().put("call_id", rid).put("call_status", "ended")
          .put("end_timestamp", started + 1_000).put("disconnection_reason", "user_hangup")
          .put("transcript_object", transcript("agent", "Hello!", "user", "Hi, one question",
              "agent", "Sure.")));
    }
    nodeAFailsOverToB();

    JsonObject ended = awaitEnded(b, key, callId);
    assertThat(ended.getString("status")).isEqualTo("completed");
    assertThat(ended.getString("disconnectionReason")).isEqualTo("user_hangup");
    assertThat(ended.getInteger("durationSeconds")).isEqualTo(1);
    assertThat(ended.getJsonArray("transcripts")).extracting(t -> ((JsonObject) t)
        .getString("response")).contains("Sure.");
    assertThat(endedEvents(b, callId)).isEqualTo(1);
    assertThat(fake.to("/v2/get-call/" + rid)).isNotEmpty();
  }

  @Test
  void aCallRetellDoesNotKnowEndsAsSessionLostAfterTheMaximumDurationAndMargin() {
    JsonObject account = account(a);
    String key = account.getString("api_key");
    String rid = "rc_lost_unknown_" + System.nanoTime();
    String callId;
    try (RetellDriver retell = new RetellDriver(a, fake, KEY)) {
      assertThat(retell.webhook("call_started", RetellDriver.call(rid, "inbound",
          "+14155550191", account.getString("phone_number"))).status()).isEqualTo(204);
      callId = a.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
          .getString("id");
      poll(() -> a.sql("SELECT 1 FROM calls WHERE id = ? AND session_seen_at IS NOT NULL",
          callId).size() == 1);
    }
    fake.calls.remove(rid);
    nodeAFailsOverToB();

    // B asks Retell as soon as the session is missed, and waits out the maximum duration
    poll(() -> !fake.to("/v2/get-call/" + rid).isEmpty());
    assertThat(b.api.get("/v1/calls/" + callId, key).json().getString("status"))
        .isEqualTo("in-progress");
    JsonObject ended = awaitEnded(b, key, callId);
    assertThat(ended.getString("status")).isEqualTo("completed");
    assertThat(ended.getString("disconnectionReason")).isEqualTo("session_lost");
    // it lasted until its session was last seen: node A's life, not the maximum duration
    assertThat(ended.getInteger("durationSeconds")).isLessThan(10);
    List<Map<String, Object>> timing = b.sql("SELECT ended_at < started_at + interval '10 s' "
        + "AS within FROM calls WHERE id = ?", callId);
    assertThat(timing.get(0).get("within")).isEqualTo(true);
    assertThat(endedEvents(b, callId)).isEqualTo(1);
    // it keeps counting as ended: later rounds change nothing
    RetellDriver.sleep(600);
    assertThat(endedEvents(b, callId)).isEqualTo(1);
  }

  @Test
  void aPlacedCallWhoseNodeDiedBeforeRetellAnsweredFails() throws Exception {
    JsonObject account = account(a);
    String key = account.getString("api_key");
    fake.hang("/v2/create-phone-call");
    CompletableFuture<Api.Response> placing = CompletableFuture.supplyAsync(() ->
        a.api.post("/v1/calls", key, new JsonObject().put("agentId",
            account.getString("agent_id")).put("toNumber", "+14155550192")));
    poll(() -> !fake.to("/v2/create-phone-call").isEmpty());
    String callId = (String) a.sql("SELECT id FROM calls WHERE account_id = ?",
        account.getString("account_id")).get(0).get("id");
    nodeAFailsOverToB(true);
    placing.handle((r, e) -> null).get(40, TimeUnit.SECONDS);

    JsonObject ended = awaitEnded(b, key, callId);
    assertThat(ended.getString("status")).isEqualTo("failed");
    assertThat(ended.getString("disconnectionReason")).isEqualTo("placement_lost");
    assertThat(ended.getInteger("durationSeconds")).isZero();
    assertThat(endedEvents(b, callId)).isEqualTo(1);
  }

  @Test
  void anAgentRegisteredBeforeSocketUrlsCarriedASecretIsRepointed() {
    JsonObject account = account(a);
    String key = account.getString("api_key");
    String agentId = account.getString("agent_id");
    a.api.patch("/v1/agents/" + agentId, key, new JsonObject().put("voiceMode", "webhook"));
    poll(() -> !a.sql("SELECT 1 FROM voice_agents WHERE agent_id = ? AND voice_mode = 'webhook'",
        agentId).isEmpty());
    String retellAgent = (String) a.sql("SELECT retell_agent_id FROM voice_agents "
        + "WHERE agent_id = ?", agentId).get(0).get("retell_agent_id");
    // as an older version left it: Retell holds the URL without a secret
    String old = "ws://localhost:" + a.port + "/webhooks/retell/llm";
    fake.agents.get(retellAgent).getJsonObject("response_engine").put("llm_websocket_url", old);
    a.sql("UPDATE voice_agents SET llm_socket_secured = false WHERE agent_id = ?", agentId);

    poll(() -> !fake.agents.get(retellAgent).getJsonObject("response_engine")
        .getString("llm_websocket_url").equals(old));
    assertThat(fake.agents.get(retellAgent).getJsonObject("response_engine")
        .getString("llm_websocket_url")).startsWith(old + "/" + agentId + "/");
    poll(() -> !a.sql("SELECT 1 FROM voice_agents WHERE agent_id = ? AND llm_socket_secured",
        agentId).isEmpty());

    // calls reach the agent through the new URL; the old one is refused
    String rid = "rc_repointed_" + System.nanoTime();
    try (RetellDriver retell = new RetellDriver(a, fake, KEY)) {
      retell.remember(RetellDriver.call(rid, "inbound", "+14155550194",
          account.getString("phone_number")));
      try (RetellDriver.Socket socket = retell.connect(rid)) {
        socket.await(f -> "config".equals(f.getString("response_type")));
      }
      RetellDriver.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(
          RetellDriver.Refused.class, () -> retell.connectTo("/webhooks/retell/llm/" + rid));
      assertThat(refused.status).isEqualTo(403);
    }
  }
}

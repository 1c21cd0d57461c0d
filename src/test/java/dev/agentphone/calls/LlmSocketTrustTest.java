package dev.agentphone.calls;

import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.Map;

import static dev.agentphone.support.RetellDriver.poll;
import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who may speak for a call on Retell's custom-LLM socket: only a connection at the agent's secret
 * URL, and only for a call Retell itself says is that agent's. Retell here is a fake of its REST
 * API at the network edge (so {@code get-call} can be made slow); this test plays Retell's side
 * of the socket, an attacker, and the customer's webhook.
 */
class LlmSocketTrustTest {
  static final String KEY = "key_llm_trust";
  static final short POLICY = 1008;
  static FakeRetellApi fake;
  static TestEngine engine;
  static RetellDriver retell;
  static CustomerWebhook customer;

  /** A signed-up account whose agent answers calls through the customer webhook. */
  record Account(String key, String agentId, String number, String socketPath) {
    String secret() {
      return socketPath.substring(socketPath.lastIndexOf('/') + 1);
    }
  }

  @BeforeAll
  static void start() {
    fake = new FakeRetellApi();
    engine = TestEngine.builder().config(Map.of("retell.apiKey", KEY,
        "retell.baseUrl", fake.baseUrl(), "retell.llmSocketSetupMillis", 1000,
        "retell.llmSocketEarlyFrames", 16)).start();
    retell = new RetellDriver(engine, fake, KEY);
    customer = new CustomerWebhook();
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "Still mine.").encode()));
  }

  @AfterAll
  static void stop() {
    retell.close();
    customer.close();
    engine.close();
    fake.close();
  }

  @BeforeEach
  void heal() {
    fake.heal();
  }

  private static Account account(String name) {
    JsonObject signedUp = engine.signUp(name + "-" + System.nanoTime() + "@example.com");
    String key = signedUp.getString("api_key");
    String agentId = signedUp.getString("agent_id");
    engine.api.patch("/v1/agents/" + agentId, key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
    engine.api.post("/v1/agents/" + agentId + "/webhook", key,
        new JsonObject().put("url", customer.url()).put("timeout", 5));
    poll(() -> !engine.sql("SELECT 1 FROM voice_agents WHERE agent_id = ? AND voice_mode = "
        + "'webhook'", agentId).isEmpty());
    poll(() -> fake.numbers.containsKey(signedUp.getString("phone_number")));
    return new Account(key, agentId, signedUp.getString("phone_number"),
        retell.socketPathOf(retell.retellAgentOf(agentId)));
  }

  private static long calls(Account account) {
    return engine.api.get("/v1/calls", account.key()).json().getLong("total");
  }

  private static long voiceSeconds(Account account) {
    return engine.api.get("/v1/usage", account.key()).json().getJsonObject("period")
        .getLong("voiceSeconds");
  }

  private static boolean voiceEventFor(Account account) {
    return customer.received.stream().anyMatch(r -> account.agentId()
        .equals(r.body().getString("agentId")));
  }

  private static void assertRefused(String uri) {
    assertThatThrownBy(() -> retell.connectTo(uri))
        .isInstanceOfSatisfying(RetellDriver.Refused.class, r -> assertThat(r.status)
            .isEqualTo(403));
  }

  private static String rid() {
    return "rc_trust_" + System.nanoTime();
  }

  @Test
  void aSocketWithoutTheAgentsSecretIsRefusedBeforeItCanSendAFrame() {
    Account victim = account("victim");
    Account attacker = account("attacker");
    String rid = rid();
    assertRefused("/webhooks/retell/llm/" + rid);
    assertRefused("/webhooks/retell/llm/" + victim.agentId() + "/" + "A".repeat(43) + "/" + rid);
    // a secret is good for its own agent only
    assertRefused("/webhooks/retell/llm/" + victim.agentId() + "/" + attacker.secret() + "/" + rid);
    assertRefused("/webhooks/retell/llm/" + victim.agentId() + "/" + rid);
    assertThat(fake.to("/v2/get-call/" + rid)).isEmpty();
    assertThat(calls(victim)).isZero();
  }

  @Test
  void aForgedCallForAVictimsNumberCreatesNothingAndChargesNothing() {
    Account victim = account("forged-victim");
    // the strongest attacker: a tenant who somehow learned their own agent's secret URL
    Account attacker = account("forged-attacker");
    String rid = rid();
    try (RetellDriver.Socket socket = retell.connectTo(attacker.socketPath() + "/" + rid)) {
      socket.send(new JsonObject().put("interaction_type", "call_details").put("call",
          RetellDriver.call(rid, "inbound", "+14155550177", victim.number())
              .put("start_timestamp", System.currentTimeMillis() - 3_600_000)));
      socket.responseRequired(1, transcript("user", "Transfer all the money"));
      poll(socket::closed);
      assertThat(socket.closeCode()).isEqualTo(POLICY);
      assertThat(socket.frames).isEmpty();
    }
    // Retell was asked, and knows no such call
    assertThat(fake.to("/v2/get-call/" + rid)).hasSize(1);
    assertThat(calls(victim)).isZero();
    assertThat(calls(attacker)).isZero();
    assertThat(voiceSeconds(victim)).isZero();
    assertThat(voiceEventFor(victim)).isFalse();
  }

  @Test
  void aCallRetellSaysIsAnotherAgentsIsRefusedAndStaysItsOwnersToTake() {
    Account victim = account("owner");
    Account attacker = account("intruder");
    String rid = rid();
    // a real call to the victim's number, whose webhook has not reached the engine yet
    retell.remember(RetellDriver.call(rid, "inbound", "+14155550178", victim.number()));
    try (RetellDriver.Socket socket = retell.connectTo(attacker.socketPath() + "/" + rid)) {
      poll(socket::closed);
      assertThat(socket.closeCode()).isEqualTo(POLICY);
    }
    assertThat(calls(victim)).isZero();
    assertThat(calls(attacker)).isZero();

    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      socket.responseRequired(1, transcript("user", "Hello"));
      assertThat(socket.awaitResponse(1).get(0).getString("content")).isEqualTo("Still mine.");
    }
    JsonObject call = engine.api.get("/v1/calls", victim.key()).json().getJsonArray("data")
        .getJsonObject(0);
    assertThat(call.getString("fromNumber")).isEqualTo("+14155550178");
  }

  @Test
  void aLiveCallsSocketCannotBeTakenOverWithoutItsAgentsSecret() {
    Account victim = account("live-victim");
    Account attacker = account("live-attacker");
    String rid = rid();
    assertThat(retell.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550179",
        victim.number())).status()).isEqualTo(204);
    try (RetellDriver.Socket owner = retell.connect(rid)) {
      owner.await(f -> "config".equals(f.getString("response_type")));
      assertRefused("/webhooks/retell/llm/" + rid);
      assertRefused("/webhooks/retell/llm/" + victim.agentId() + "/" + attacker.secret() + "/"
          + rid);
      try (RetellDriver.Socket intruder = retell.connectTo(attacker.socketPath() + "/" + rid)) {
        poll(intruder::closed);
        assertThat(intruder.closeCode()).isEqualTo(POLICY);
        assertThat(intruder.frames).isEmpty();
      }
      // the call's own socket is still the one the call talks to
      assertThat(owner.closed()).isFalse();
      owner.responseRequired(1, transcript("user", "Are you there?"));
      assertThat(owner.awaitResponse(1).get(0).getString("content")).isEqualTo("Still mine.");
    }
  }

  @Test
  void untilRetellConfirmsTheCallOnlyAFewFramesAndAFewSecondsAreGranted() {
    Account account = account("patience");
    fake.hang("/v2/get-call/");
    String flooded = rid();
    try (RetellDriver.Socket socket = retell.connectTo(account.socketPath() + "/" + flooded)) {
      for (int i = 0; i < 17; i++) {
        socket.send(new JsonObject().put("interaction_type", "ping_pong").put("timestamp", i));
      }
      poll(socket::closed);
      assertThat(socket.closeCode()).isEqualTo(POLICY);
      assertThat(socket.closeReason()).contains("too many frames");
    }
    String silent = rid();
    try (RetellDriver.Socket socket = retell.connectTo(account.socketPath() + "/" + silent)) {
      // retell.llmSocketSetupMillis is 1 s here (5 s by default)
      poll(socket::closed);
      assertThat(socket.closeCode()).isEqualTo(POLICY);
      assertThat(socket.closeReason()).contains("not confirmed in time");
      assertThat(socket.frames).isEmpty();
    }
    assertThat(calls(account)).isZero();
  }

  @Test
  void aCallsDurationIsBoundedByItsStoredStartAndByNow() {
    Account account = account("durations");
    String rid = rid();
    assertThat(retell.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550180",
        account.number())).status()).isEqualTo(204);
    long now = System.currentTimeMillis();
    // a record claiming the call began an hour before we saw it and ends an hour from now
    assertThat(retell.webhook("call_ended", RetellDriver.call(rid, "inbound", "+14155550180",
            account.number()).put("start_timestamp", now - 3_600_000)
        .put("end_timestamp", now + 3_600_000).put("disconnection_reason", "user_hangup"))
        .status()).isEqualTo(204);
    JsonObject call = engine.api.get("/v1/calls", account.key()).json().getJsonArray("data")
        .getJsonObject(0);
    poll(() -> "completed".equals(engine.api.get("/v1/calls/" + call.getString("id"),
        account.key()).json().getString("status")));
    JsonObject ended = engine.api.get("/v1/calls/" + call.getString("id"), account.key()).json();
    assertThat(ended.getInteger("durationSeconds")).isLessThan(60);
    assertThat(OffsetDateTime.parse(ended.getString("endedAt")))
        .isBefore(OffsetDateTime.now().plusMinutes(1));
    assertThat(voiceSeconds(account)).isEqualTo(ended.getInteger("durationSeconds").longValue());
  }
}

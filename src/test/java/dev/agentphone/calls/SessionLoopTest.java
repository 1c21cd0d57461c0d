package dev.agentphone.calls;

import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a call's session runs: on the event loop of the call's LLM socket, whether Retell's
 * {@code call_started} or the socket comes first, with the share told on {@code /metrics}
 * (a call whose socket does not come: {@link SessionSocketWaitTest}); and the agent's webhook,
 * whose lookups the live calls of one agent share, still changes for every call.
 */
class SessionLoopTest {
  static TestEngine engine;
  static RetellDriver retell;
  static CustomerWebhook customer;
  static final AtomicInteger CALLS = new AtomicInteger();

  String key;
  String number;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder()
        .config(Map.of("plans.catalog.starter.limits.concurrentCalls", 100,
            "voice.webhookTargetCacheMillis", 300)).start();
    retell = new RetellDriver(engine);
    customer = new CustomerWebhook();
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "Heard " + r.body().getJsonObject("data")
            .getString("transcript")).encode()));
  }

  @AfterAll
  static void stop() {
    retell.close();
    customer.close();
    engine.close();
  }

  @BeforeEach
  void account() {
    JsonObject account = engine.signUp("loops-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    number = account.getString("phone_number");
    webhookMode(engine, account);
    assertThat(engine.api.post("/v1/agents/" + account.getString("agent_id") + "/webhook", key,
        new JsonObject().put("url", customer.url()).put("timeout", 5)).status()).isEqualTo(200);
  }

  private static void webhookMode(TestEngine on, JsonObject account) {
    assertThat(on.api.patch("/v1/agents/" + account.getString("agent_id"),
        account.getString("api_key"),
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage")).status())
        .isEqualTo(200);
  }

  private static String retellId() {
    return "rc_loop_" + System.nanoTime() + "_" + CALLS.incrementAndGet();
  }

  /** The engine's count of LLM sockets on their session's loop ({@code session}) or not. */
  private static double sockets(String loop) {
    String tag = "loop=\"" + loop + "\"";
    return engine.api.get("/metrics", null).body().lines()
        .filter(l -> l.startsWith("agentphone_voice_sockets_total{") && l.contains(tag))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private String callIdOf(String retellCallId) {
    return (String) engine.sql("SELECT id FROM calls WHERE retell_call_id = ?", retellCallId)
        .get(0).get("id");
  }

  @Test
  void manyCallsOnTheNodesFewLoopsEachAnswerOnTheirSocketsLoopAndStoreTheirTurnsInOrder() {
    double shared = sockets("session");
    double other = sockets("other");
    int calls = 12; // three times the loops of a two-core node
    List<String> rids = new ArrayList<>();
    List<RetellDriver.Socket> sockets = new ArrayList<>();
    List<JsonArray> said = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        String rid = retellId();
        assertThat(retell.webhook("call_started", RetellDriver.call(rid, "inbound",
            "+14155550199", number)).status()).isEqualTo(204);
        rids.add(rid);
        sockets.add(retell.connect(rid));
        said.add(new JsonArray());
      }
      for (int turn = 1; turn <= 3; turn++) {
        for (int i = 0; i < calls; i++) {
          said.get(i).add(new JsonObject().put("role", "user")
              .put("content", "call " + i + " turn " + turn));
          sockets.get(i).responseRequired(turn, said.get(i).copy());
        }
        for (int i = 0; i < calls; i++) {
          List<JsonObject> frames = sockets.get(i).awaitResponse(turn);
          assertThat(frames.get(0).getString("content"))
              .isEqualTo("Heard call " + i + " turn " + turn);
          said.get(i).add(new JsonObject().put("role", "agent")
              .put("content", "Heard call " + i + " turn " + turn));
        }
      }
    } finally {
      sockets.forEach(RetellDriver.Socket::close);
    }
    assertThat(sockets("session") - shared).isEqualTo(calls);
    assertThat(sockets("other") - other).isZero();
    for (int i = 0; i < calls; i++) {
      String callId = callIdOf(rids.get(i));
      List<String> expected = new ArrayList<>();
      for (int turn = 1; turn <= 3; turn++) {
        expected.add("call " + i + " turn " + turn);
        expected.add("Heard call " + i + " turn " + turn);
      }
      poll(() -> engine.sql("SELECT seq FROM call_turns WHERE call_id = ?", callId).size()
          == expected.size());
      assertThat(engine.sql("SELECT content FROM call_turns WHERE call_id = ? ORDER BY seq",
          callId)).extracting(t -> t.get("content")).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aSocketBeforeItsCallStartedKeepsItsOneSessionWhenTheWebhookComes() {
    double shared = sockets("session");
    double other = sockets("other");
    String rid = retellId();
    retell.remember(RetellDriver.call(rid, "inbound", "+14155550111", number));
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, RetellDriver.transcript("user", "first"));
      assertThat(socket.awaitResponse(1).get(0).getString("content")).isEqualTo("Heard first");
      // Retell's webhook comes late: the call and its session are the ones already there
      assertThat(retell.webhook("call_started", RetellDriver.call(rid, "inbound",
          "+14155550111", number)).status()).isEqualTo(204);
      socket.responseRequired(2, RetellDriver.transcript("user", "first", "agent",
          "Heard first", "user", "second"));
      assertThat(socket.awaitResponse(2).get(0).getString("content")).isEqualTo("Heard second");
    }
    String callId = callIdOf(rid);
    poll(() -> engine.sql("SELECT seq FROM call_turns WHERE call_id = ?", callId).size() == 4);
    assertThat(engine.sql("SELECT content FROM call_turns WHERE call_id = ? ORDER BY seq",
        callId)).extracting(t -> t.get("content"))
        .containsExactly("first", "Heard first", "second", "Heard second");
    assertThat(engine.sql("SELECT id FROM calls WHERE retell_call_id = ?", rid)).hasSize(1);
    assertThat(sockets("session") - shared).isEqualTo(1);
    assertThat(sockets("other") - other).isZero();
  }

  @Test
  void aReconnectToTheSameNodeCarriesOnWithEveryTurnOnce() {
    String rid = retellId();
    retell.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550199", number));
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, RetellDriver.transcript("user", "one"));
      socket.awaitResponse(1);
    }
    // Retell reconnects to this node, maybe on another of its loops than the first socket
    for (int attempt = 0; attempt < 3; attempt++) {
      try (RetellDriver.Socket socket = retell.connect(rid)) {
        JsonArray transcript = RetellDriver.transcript("user", "one", "agent", "Heard one");
        for (int turn = 0; turn < attempt; turn++) {
          transcript.add(new JsonObject().put("role", "user").put("content", "again " + turn))
              .add(new JsonObject().put("role", "agent").put("content", "Heard again " + turn));
        }
        transcript.add(new JsonObject().put("role", "user").put("content", "again " + attempt));
        socket.responseRequired(2 + attempt, transcript);
        assertThat(socket.awaitResponse(2 + attempt).get(0).getString("content"))
            .isEqualTo("Heard again " + attempt);
      }
    }
    String callId = callIdOf(rid);
    poll(() -> engine.sql("SELECT seq FROM call_turns WHERE call_id = ?", callId).size() == 8);
    assertThat(engine.sql("SELECT content FROM call_turns WHERE call_id = ? ORDER BY seq",
        callId)).extracting(t -> t.get("content")).containsExactly("one", "Heard one",
        "again 0", "Heard again 0", "again 1", "Heard again 1", "again 2", "Heard again 2");
  }

  @Test
  void aChangedWebhookReachesEveryLiveCallOfTheAgentAndANewCallAtOnce() throws Exception {
    JsonObject account = engine.signUp("lookups-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String agentId = account.getString("agent_id");
    webhookMode(engine, account);
    try (CustomerWebhook first = new CustomerWebhook();
         CustomerWebhook second = new CustomerWebhook()) {
      first.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("text", "first").encode()));
      second.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("text", "second").encode()));
      assertThat(engine.api.post("/v1/agents/" + agentId + "/webhook", key,
          new JsonObject().put("url", first.url()).put("timeout", 5)).status()).isEqualTo(200);
      List<RetellDriver.Socket> sockets = new ArrayList<>();
      List<Integer> turns = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          String rid = retellId();
          retell.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550199",
              account.getString("phone_number")));
          sockets.add(retell.connect(rid));
          turns.add(0);
        }
        for (int i = 0; i < sockets.size(); i++) {
          assertThat(say(sockets.get(i), turns, i)).isEqualTo("first");
        }
        assertThat(engine.api.post("/v1/agents/" + agentId + "/webhook", key,
            new JsonObject().put("url", second.url()).put("timeout", 5)).status())
            .isEqualTo(200);
        // a call that starts now reads the webhook itself
        String rid = retellId();
        retell.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550199",
            account.getString("phone_number")));
        sockets.add(retell.connect(rid));
        turns.add(0);
        assertThat(say(sockets.get(3), turns, 3)).isEqualTo("second");
        // the calls already talking move over within the cache time (and one stale turn)
        Thread.sleep(400);
        for (int i = 0; i < 3; i++) {
          int call = i;
          List<String> answers = new ArrayList<>();
          for (int turn = 0; turn < 4 && !answers.contains("second"); turn++) {
            answers.add(say(sockets.get(call), turns, call));
          }
          assertThat(answers).hasSizeLessThanOrEqualTo(2).endsWith("second");
          assertThat(say(sockets.get(call), turns, call)).isEqualTo("second");
        }
      } finally {
        sockets.forEach(RetellDriver.Socket::close);
      }
    }
  }

  /** One more turn on call {@code i}; answers what was spoken. */
  private static String say(RetellDriver.Socket socket, List<Integer> turns, int i) {
    int turn = turns.get(i) + 1;
    turns.set(i, turn);
    socket.responseRequired(turn, RetellDriver.transcript("user", "turn " + turn));
    return socket.awaitResponse(turn).get(0).getString("content");
  }
}

package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.SilentNameServer;
import dev.agentphone.support.TestEngine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.agentphone.support.RetellDriver.poll;
import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds of a voice turn, during a simulated call: an answer over the 64 KB limit (plain JSON
 * or NDJSON) is cut off and replaced by the fallback sentence, and a webhook host whose DNS never
 * answers costs the caller a fallback, not a dead turn.
 */
class VoiceWebhookLimitsTest {
  static final String FALLBACK = "Sorry, one moment please.";
  static final long HUGE = 64L * 1024 * 1024;
  static SilentNameServer dns;
  static TestEngine engine;
  static RetellDriver retell;
  static CustomerWebhook customer;

  String key;
  String agentId;
  String number;

  @BeforeAll
  static void start() {
    dns = new SilentNameServer();
    engine = TestEngine.builder().config(Map.of("voice.maxTurnWaitMillis", 20_000,
        "voice.fallbackMessage", FALLBACK,
        "webhooks.dns.servers", dns.address(), "webhooks.dns.timeoutMillis", 500)).start();
    retell = new RetellDriver(engine);
    customer = new CustomerWebhook();
  }

  @AfterAll
  static void stop() {
    retell.close();
    customer.close();
    engine.close();
    dns.close();
  }

  @BeforeEach
  void account() {
    JsonObject account = engine.signUp("limits-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    agentId = account.getString("agent_id");
    number = account.getString("phone_number");
    assertThat(engine.api.patch("/v1/agents/" + agentId, key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage")).status())
        .isEqualTo(200);
    hook(customer.url());
  }

  private void hook(String url) {
    Api.Response hook = engine.api.post("/v1/agents/" + agentId + "/webhook", key,
        new JsonObject().put("url", url).put("timeout", 20));
    assertThat(hook.status()).isEqualTo(200);
  }

  private String inbound(String retellId) {
    assertThat(retell.webhook("call_started",
        RetellDriver.call(retellId, "inbound", "+14155550199", number)).status()).isEqualTo(204);
    return engine.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
        .getString("id");
  }

  private static String retellId() {
    return "rc_limits_" + System.nanoTime();
  }

  /**
   * Writes {@code prefix} then filler, each piece once the previous one reached the socket, up to
   * HUGE bytes; {@code closed} is set when the engine hangs up.
   */
  private static void flood(HttpServerResponse response, String prefix, AtomicLong written,
      AtomicBoolean closed) {
    response.closeHandler(v -> closed.set(true));
    Buffer filler = Buffer.buffer("a".repeat(16 * 1024));
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      if (written.get() >= HUGE) {
        response.end("\"}\n");
        return;
      }
      response.write(filler).onSuccess(v -> {
        written.addAndGet(filler.length());
        pump[0].run();
      }).onFailure(e -> closed.set(true));
    };
    response.write(prefix).onSuccess(v -> pump[0].run()).onFailure(e -> closed.set(true));
  }

  @Test
  void aJsonAnswerOverTheLimitIsCutOffAndTheCallerHearsTheFallback() {
    String rid = retellId();
    String callId = inbound(rid);
    AtomicLong written = new AtomicLong();
    AtomicBoolean closed = new AtomicBoolean();
    customer.answer(r -> flood(r.request().response().setChunked(true)
        .putHeader("Content-Type", "application/json"), "{\"text\": \"", written, closed));
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "Tell me everything."));
      List<JsonObject> frames = socket.awaitResponse(1);
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).getString("content")).isEqualTo(FALLBACK);
      // the engine hung up on the answer instead of reading the 64 MB
      poll(closed::get);
      assertThat(written.get()).isLessThan(HUGE);
      assertThat(socket.closed()).isFalse();
    }
    poll(() -> engine.sql("SELECT 1 FROM call_turns WHERE call_id = ? AND role = 'agent' "
        + "AND content = ?", callId, FALLBACK).size() == 1);
  }

  @Test
  void anAnswerDeclaringMoreThanTheLimitIsNotReadAtAll() {
    String rid = retellId();
    inbound(rid);
    String big = new JsonObject().put("text", "b".repeat(70_000)).encode();
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(big));
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "Hello?"));
      assertThat(socket.awaitResponse(1).get(0).getString("content")).isEqualTo(FALLBACK);
    }
  }

  @Test
  void anAnswerJustUnderTheLimitIsSpokenWhole() {
    String rid = retellId();
    inbound(rid);
    String text = "c".repeat(60_000);
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", text).encode()));
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "Hello?"));
      assertThat(socket.awaitResponse(1).get(0).getString("content")).isEqualTo(text);
    }
  }

  @Test
  void anNdjsonAnswerOverTheLimitKeepsItsSpokenLinesThenTheFallback() {
    String rid = retellId();
    String callId = inbound(rid);
    AtomicLong written = new AtomicLong();
    AtomicBoolean closed = new AtomicBoolean();
    AtomicBoolean interimHeard = new AtomicBoolean();
    customer.answer(r -> {
      HttpServerResponse response = r.request().response().setChunked(true)
          .putHeader("Content-Type", "application/x-ndjson");
      response.write("{\"text\": \"Let me check.\", \"interim\": true}\n");
      // the endless line only starts once the first one reached the caller
      customer.vertx().setPeriodic(10, t -> {
        if (interimHeard.get()) {
          customer.vertx().cancelTimer(t);
          flood(response, "{\"text\": \"", written, closed);
        }
      });
    });
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "Are you open?"));
      JsonObject first = socket.await(f -> f.getInteger("response_id", -1) == 1);
      assertThat(first.getString("content")).isEqualTo("Let me check.");
      assertThat(first.getBoolean("content_complete")).isFalse();
      interimHeard.set(true);
      List<JsonObject> frames = socket.awaitResponse(1);
      assertThat(frames).hasSize(2);
      assertThat(frames.get(1).getString("content")).isEqualTo(" " + FALLBACK);
      assertThat(frames.get(1).getBoolean("content_complete")).isTrue();
      poll(closed::get);
      assertThat(written.get()).isLessThan(HUGE);
    }
    poll(() -> engine.sql("SELECT 1 FROM call_turns WHERE call_id = ? AND role = 'agent' "
        + "AND content = ?", callId, "Let me check. " + FALLBACK).size() == 1);
  }

  @Test
  void manySmallNdjsonLinesCountTowardsTheLimitToo() {
    String rid = retellId();
    inbound(rid);
    String line = new JsonObject().put("text", "d".repeat(1000)).put("interim", true).encode()
        + "\n";
    customer.answer(r -> {
      HttpServerResponse response = r.request().response().setChunked(true)
          .putHeader("Content-Type", "application/x-ndjson");
      for (int i = 0; i < 100; i++) {
        response.write(line);
      }
      response.end("{\"text\": \"never spoken\"}\n");
    });
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "Talk to me."));
      List<JsonObject> frames = socket.awaitResponse(1);
      JsonObject last = frames.get(frames.size() - 1);
      assertThat(last.getString("content")).isEqualTo(" " + FALLBACK);
      assertThat(frames).noneMatch(f -> f.getString("content").contains("never spoken"));
      assertThat(frames.size() - 1).isLessThan(66);
    }
  }

  @Test
  void aWebhookHostWhoseDnsNeverAnswersGetsTheFallback() {
    hook("http://voice.never-answers.test:8080/hook");
    String rid = retellId();
    inbound(rid);
    int before = customer.received.size();
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "Anyone there?"));
      assertThat(socket.awaitResponse(1).get(0).getString("content")).isEqualTo(FALLBACK);
      assertThat(socket.closed()).isFalse();
    }
    assertThat(customer.received).hasSize(before);
    assertThat(dns.queries()).isPositive();
  }
}

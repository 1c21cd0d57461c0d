package dev.agentphone.sandbox;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox tools the phone lab plays through: the carrier's status callbacks with Twilio's
 * error codes ({@code /sandbox/sms/status}), keys pressed by the caller ({@code /dtmf}) and a
 * caller barging in on an answer in flight ({@code /say} with {@code interrupt}).
 */
class SandboxLabToolsTest {
  static TestEngine engine;
  static CustomerWebhook slow;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    slow = new CustomerWebhook();
    slow.answer(r -> {
      String said = r.body().getJsonObject("data").getString("transcript");
      long delay = said.startsWith("slow") ? 1_500 : 1;
      slow.vertx().setTimer(delay, t -> r.request().response()
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("text", "About: " + said).encode()));
    });
  }

  @AfterAll
  static void stop() {
    slow.close();
    engine.close();
  }

  @Test
  void theCarrierReportsAnUndeliveredTextWithItsErrorCodeAndNeverMovesItBack() {
    JsonObject account = engine.signUp("carrier-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String messageId = engine.api.post("/v1/messages", key, new JsonObject()
            .put("agent_id", account.getString("agent_id")).put("to_number", "+14155550142")
            .put("body", "Your table is ready."))
        .json().getString("id");

    Api.Response failed = engine.api.post("/sandbox/sms/status", key, new JsonObject()
        .put("messageId", messageId).put("status", "undelivered").put("errorCode", "30003"));
    assertThat(failed.status()).as(failed.body()).isEqualTo(200);
    assertThat(failed.json().getInteger("callbackStatus")).isEqualTo(204);
    String sid = failed.json().getString("messageSid");
    assertThat(sid).startsWith("SM");
    assertThat(failed.json().getJsonObject("delivery")).isEqualTo(new JsonObject()
        .put("messageId", messageId).put("messageSid", sid).put("status", "undelivered")
        .put("errorCode", "30003"));

    Api.Response late = engine.api.post("/sandbox/sms/status", key, new JsonObject()
        .put("messageId", messageId).put("status", "sent"));
    assertThat(late.json().getJsonObject("delivery").getString("status")).isEqualTo("undelivered");
  }

  @Test
  void aStatusCallbackNeedsAMessageOfTheCallersAndTwiliosFormOfErrorCode() {
    JsonObject owner = engine.signUp("owner-" + System.nanoTime() + "@example.com");
    String messageId = engine.api.post("/v1/messages", owner.getString("api_key"),
            new JsonObject().put("agent_id", owner.getString("agent_id"))
                .put("to_number", "+14155550142").put("body", "Hi"))
        .json().getString("id");
    String stranger = engine.newKey();

    assertThat(engine.api.post("/sandbox/sms/status", stranger, new JsonObject()
        .put("messageId", messageId).put("status", "failed")).status()).isEqualTo(404);
    Api.Response badCode = engine.api.post("/sandbox/sms/status", owner.getString("api_key"),
        new JsonObject().put("messageId", messageId).put("status", "failed")
            .put("errorCode", "carrier said no"));
    assertThat(badCode.status()).isEqualTo(422);
    assertThat(badCode.body()).contains("errorCode");
    assertThat(engine.api.post("/sandbox/sms/status", owner.getString("api_key"),
        new JsonObject().put("messageId", messageId).put("status", "lost")).status())
        .isEqualTo(422);
  }

  @Test
  void aCallerPressesKeysAndBargesInOnASlowAnswer() throws Exception {
    JsonObject account = engine.signUp("barge-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String agentId = account.getString("agent_id");
    engine.api.patch("/v1/agents/" + agentId, key, new JsonObject().put("voiceMode", "webhook"));
    engine.api.post("/v1/agents/" + agentId + "/webhook", key,
        new JsonObject().put("url", slow.url()));
    String call = engine.api.post("/sandbox/calls", key, new JsonObject()
        .put("from", "+14155550142").put("to", account.getString("phone_number")))
        .json().getString("callId");

    Api.Response pressed = engine.api.post("/sandbox/calls/" + call + "/dtmf", key,
        new JsonObject().put("digits", "42#"));
    assertThat(pressed.json().getString("reply")).isEqualTo("About: 42#");
    assertThat(engine.api.post("/sandbox/calls/" + call + "/dtmf", key,
        new JsonObject().put("digits", "42a")).status()).isEqualTo(422);

    CompletableFuture<Api.Response> first = CompletableFuture.supplyAsync(() ->
        engine.api.post("/sandbox/calls/" + call + "/say", key,
            new JsonObject().put("text", "slow question")));
    Thread.sleep(300);
    assertThat(engine.api.post("/sandbox/calls/" + call + "/say", key,
        new JsonObject().put("text", "without barging in")).status()).isEqualTo(409);
    Api.Response barged = engine.api.post("/sandbox/calls/" + call + "/say", key,
        new JsonObject().put("text", "never mind").put("interrupt", true));

    assertThat(barged.json().getString("reply")).isEqualTo("About: never mind");
    assertThat(barged.json().getDouble("latencyMs")).as("until the agent's first words")
        .isPositive();
    assertThat(first.get().json().getBoolean("superseded")).isTrue();
    Thread.sleep(1_500);
    String transcript = engine.api.get("/v1/calls/" + call, key).body();
    assertThat(transcript).contains("About: never mind").doesNotContain("About: slow question");
  }
}

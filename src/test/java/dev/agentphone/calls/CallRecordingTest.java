package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.WavFile;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Call recordings in sandbox mode: an account setting, a real WAV file for every simulated call
 * of an account that has it on (spoken with espeak-ng where it is installed, tones otherwise),
 * served without a key at the call's recording URL; nothing for the other calls.
 */
class CallRecordingTest {
  static TestEngine engine;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  record Account(String key, String agentId, String number) {
  }

  static Account account(TestEngine on) {
    JsonObject a = on.signUp("rec-" + System.nanoTime() + "@example.com");
    return new Account(a.getString("api_key"), a.getString("agent_id"),
        a.getString("phone_number"));
  }

  static void recording(TestEngine on, Account account, boolean enabled) {
    Api.Response set = on.api.post("/v1/credits/recording/" + (enabled ? "enable" : "disable"),
        account.key(), null);
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.json().getBoolean("recordingEnabled")).isEqualTo(enabled);
  }

  /** A caller dials the account's number, says a few things and hangs up: the call id. */
  static String simulatedCall(TestEngine on, Account account, String... said) {
    Api.Response dialed = on.api.post("/sandbox/calls", account.key(), new JsonObject()
        .put("from", "+14155550142").put("to", account.number()));
    assertThat(dialed.status()).isEqualTo(200);
    String callId = dialed.json().getString("callId");
    for (String text : said) {
      assertThat(on.api.post("/sandbox/calls/" + callId + "/say", account.key(),
          new JsonObject().put("text", text)).status()).isEqualTo(200);
    }
    assertThat(on.api.post("/sandbox/calls/" + callId + "/hangup", account.key(), null)
        .status()).isEqualTo(200);
    return callId;
  }

  static JsonObject call(TestEngine on, Account account, String callId) {
    return on.api.get("/v1/calls/" + callId, account.key()).json();
  }

  @Test
  void recordingIsAnAccountSettingOffUntilTurnedOn() {
    Account account = account(engine);
    Account other = account(engine);
    JsonObject initially = engine.api.get("/v1/credits/recording", account.key()).json();
    assertThat(initially.getBoolean("recordingEnabled")).isFalse();
    assertThat(initially.getValue("updatedAt")).isNull();

    recording(engine, account, true);
    JsonObject on = engine.api.get("/v1/credits/recording", account.key()).json();
    assertThat(on.getBoolean("recordingEnabled")).isTrue();
    assertThat(on.getString("updatedAt")).isNotNull();
    assertThat(engine.api.get("/v1/credits/recording", other.key()).json()
        .getBoolean("recordingEnabled")).as("another account's setting").isFalse();

    recording(engine, account, false);
    assertThat(engine.api.get("/v1/credits/recording", account.key()).json()
        .getBoolean("recordingEnabled")).isFalse();
    assertThat(engine.api.post("/v1/credits/recording/enable", null, null).status())
        .isEqualTo(401);
  }

  @Test
  void aRecordedCallIsAPlayableWavAtAPublicUrl() {
    Account account = account(engine);
    recording(engine, account, true);
    String callId = simulatedCall(engine, account, "Hello there", "Is the shop open today?");
    poll(15_000, () -> call(engine, account, callId).getBoolean("recordingAvailable"));

    JsonObject call = call(engine, account, callId);
    String url = engine.api.base() + "/v1/calls/" + callId + "/recording";
    assertThat(call.getString("recordingUrl")).isEqualTo(url);
    JsonObject listed = engine.api.get("/v1/calls", account.key()).json().getJsonArray("data")
        .getJsonObject(0);
    assertThat(listed.getBoolean("recordingAvailable")).isTrue();
    assertThat(listed.getString("recordingUrl")).isEqualTo(url);

    // no key: the official client sends none for this method
    HttpResponse<byte[]> served = WavFile.fetch(url);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValue("audio/wav");
    assertThat(served.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"recording-" + callId + ".wav\"");
    WavFile wav = WavFile.parse(served.body());
    assertThat(wav.format()).as("PCM").isEqualTo(1);
    assertThat(wav.channels()).isEqualTo(1);
    assertThat(wav.bitsPerSample()).isEqualTo(16);
    assertThat(wav.seconds()).isGreaterThan(1.0);
    // greeting, two utterances and two answers: five turns, each heard
    assertThat(wav.sounds(250)).hasSizeGreaterThanOrEqualTo(5);
    assertThat(wav.software()).isEqualTo(espeakInstalled()
        ? "AgentPhone sandbox (espeak-ng)" : "AgentPhone sandbox (tones)");

    // the sub-account header, an API key, anything else changes nothing: the id is the key
    assertThat(engine.api.send("GET", "/v1/calls/" + callId + "/recording", "not-a-key", null,
        null, "X-Sub-Account-Id", "sub_x").status()).isEqualTo(200);
  }

  @Test
  void callsOfAnAccountWithoutRecordingHaveNone() {
    Account account = account(engine);
    String callId = simulatedCall(engine, account, "Hello there");
    // the analysis arrives after the call's end, which would have named the recording
    poll(() -> call(engine, account, callId).getString("summary") != null);
    JsonObject call = call(engine, account, callId);
    assertThat(call.getBoolean("recordingAvailable")).isFalse();
    assertThat(call.getValue("recordingUrl")).isNull();
    Api.Response none = engine.api.get("/v1/calls/" + callId + "/recording", null);
    assertThat(none.status()).isEqualTo(404);
    assertThat((String) none.detail()).contains("No recording");
    assertThat(engine.sql("SELECT 1 FROM call_recordings WHERE call_id = ?", callId)).isEmpty();

    assertThat(engine.api.get("/v1/calls/call_doesnotexist/recording", null).status())
        .isEqualTo(404);
  }

  @Test
  void theSettingCountsWhenTheCallBegins() {
    Account account = account(engine);
    Api.Response dialed = engine.api.post("/sandbox/calls", account.key(), new JsonObject()
        .put("from", "+14155550142").put("to", account.number()));
    String callId = dialed.json().getString("callId");
    recording(engine, account, true);
    assertThat(engine.api.get("/v1/calls/" + callId + "/recording", null).status())
        .as("a live call has no recording").isEqualTo(404);
    engine.api.post("/sandbox/calls/" + callId + "/hangup", account.key(), null);
    poll(() -> call(engine, account, callId).getString("summary") != null);
    assertThat(call(engine, account, callId).getBoolean("recordingAvailable"))
        .as("begun while recording was off").isFalse();
  }

  @Test
  void aHostedCallEndedThroughTheApiIsStoppedAtTheProviderAndRecorded() {
    Account account = account(engine);
    recording(engine, account, true);
    String callId = engine.api.post("/v1/calls", account.key(), new JsonObject()
        .put("agentId", account.agentId()).put("toNumber", "+14155550123")
        .put("initialGreeting", "Hi, it is the shop.")).json().getString("id");
    poll(() -> engine.api.post("/sandbox/calls/" + callId + "/say", account.key(),
        new JsonObject().put("text", "Hello")).status() == 200);
    assertThat(engine.api.post("/v1/calls/" + callId + "/end", account.key(), null).status())
        .isEqualTo(200);
    poll(15_000, () -> call(engine, account, callId).getBoolean("recordingAvailable"));
    JsonObject call = call(engine, account, callId);
    assertThat(call.getString("status")).isEqualTo("completed");
    assertThat(call.getString("disconnectionReason")).isEqualTo("api_hangup");
    // the simulated phone was hung up too: the caller can no longer speak
    assertThat(engine.api.post("/sandbox/calls/" + callId + "/say", account.key(),
        new JsonObject().put("text", "Still there?")).status()).isEqualTo(404);
    WavFile wav = WavFile.parse(WavFile.fetch(call.getString("recordingUrl")).body());
    assertThat(wav.sounds(250)).as("greeting, hello, answer").hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void withoutEspeakTheTurnsAreTonesOnePerTurn() {
    try (TestEngine tones = TestEngine.builder()
        .config(Map.of("sandbox.recording.espeakCommand", "")).start()) {
      Account account = account(tones);
      recording(tones, account, true);
      String callId = simulatedCall(tones, account, "Hello there", "What are your hours?");
      poll(15_000, () -> call(tones, account, callId).getBoolean("recordingAvailable"));
      JsonObject call = call(tones, account, callId);
      WavFile wav = WavFile.parse(WavFile.fetch(call.getString("recordingUrl")).body());
      assertThat(wav.software()).isEqualTo("AgentPhone sandbox (tones)");
      assertThat(wav.sampleRate()).isEqualTo(22_050);
      // the greeting, two utterances and two answers, apart
      assertThat(wav.sounds(200)).hasSize(call.getJsonArray("transcripts").stream()
          .mapToInt(t -> (((JsonObject) t).getValue("transcript") != null ? 1 : 0)
              + (((JsonObject) t).getValue("response") != null ? 1 : 0)).sum());
      assertThat(wav.sounds(200)).hasSize(5);
    }
  }

  private static boolean espeakInstalled() {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      if (new File(dir, "espeak-ng").canExecute()) {
        return true;
      }
    }
    return false;
  }
}

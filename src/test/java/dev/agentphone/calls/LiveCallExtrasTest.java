package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.WavFile;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-call settings and recordings against Retell's REST API and webhooks (a fake at the
 * network edge speaking Retell's JSON): what {@code create-phone-call} and
 * {@code create-web-call} are asked, how a call's recording is fetched from the storage URL
 * Retell names, once, and kept, and how a call ended through our API is hung up at Retell.
 */
class LiveCallExtrasTest {
  static final String KEY = "key_live_extras";
  static FakeRetellApi retell;
  static TestEngine engine;
  static RetellDriver driver;

  @BeforeAll
  static void start() {
    retell = new FakeRetellApi();
    engine = TestEngine.builder().config(Map.of("retell.apiKey", KEY,
        "retell.baseUrl", retell.baseUrl(), "retell.requestTimeoutMillis", 2000,
        "calls.recording.maxBytes", 200_000, "calls.recording.retryDelayMillis", 100,
        "calls.reconciler.intervalMillis", 300)).start();
    driver = new RetellDriver(engine, retell, KEY);
  }

  @AfterAll
  static void stop() {
    driver.close();
    engine.close();
    retell.close();
  }

  record Account(String key, String agentId, String number) {
  }

  private static Account account() {
    JsonObject a = engine.signUp("live-extras-" + System.nanoTime() + "@example.com");
    Account account = new Account(a.getString("api_key"), a.getString("agent_id"),
        a.getString("phone_number"));
    poll(() -> retell.numbers.containsKey(account.number()));
    return account;
  }

  private static Api.Response place(Account account, JsonObject extra) {
    return engine.api.post("/v1/calls", account.key(), new JsonObject()
        .put("agentId", account.agentId()).put("toNumber", "+14155550123").mergeIn(extra));
  }

  /** What Retell was asked to do for our call {@code callId}. */
  private static JsonObject placement(String callId) {
    return retell.to("/v2/create-phone-call").stream().map(FakeRetellApi.Request::body)
        .filter(b -> callId.equals(b.getJsonObject("metadata").getString("agentphone_call_id")))
        .findFirst().orElseThrow();
  }

  private static String retellIdOf(String callId) {
    return (String) engine.sql("SELECT retell_call_id FROM calls WHERE id = ?", callId).get(0)
        .get("retell_call_id");
  }

  private static JsonObject call(Account account, String callId) {
    return engine.api.get("/v1/calls/" + callId, account.key()).json();
  }

  @Test
  void variablesFillThePerCallTextsAndTravelAsDynamicVariablesWithTheOverrides() {
    Account account = account();
    Api.Response placed = place(account, new JsonObject()
        .put("systemPrompt", "You sell {{product}}.")
        .put("initialGreeting", "Hi {{name}}{{suffix}}, about {{order}}!")
        .put("variables", new JsonObject().put("name", "Ada").put("suffix", (String) null)
            .put("product", "tea"))
        .put("modelTier", "turbo")
        .put("callScreeningPurpose", "a delivery update"));
    assertThat(placed.status()).isEqualTo(200);
    String callId = placed.json().getString("id");

    JsonObject body = placement(callId);
    // a variable given as null fills nothing; one not given stays as written, as Retell does
    assertThat(body.getJsonObject("retell_llm_dynamic_variables")).isEqualTo(new JsonObject()
        .put("name", "Ada").put("suffix", "").put("product", "tea")
        .put("system_prompt", "You sell tea.").put("initial_greeting", "Hi Ada, about {{order}}!"));
    assertThat(body.getJsonObject("agent_override")).isEqualTo(new JsonObject()
        .put("agent", new JsonObject().put("call_screening_option", new JsonObject()
            .put("agent_identity", "My Agent").put("call_purpose", "a delivery update")))
        .put("retell_llm", new JsonObject().put("model", "gpt-4o-mini")
            .put("begin_message", "Hi Ada, about {{order}}!")));

    JsonObject detail = call(account, callId);
    assertThat(detail.getString("modelTier")).isEqualTo("turbo");
    assertThat(detail.getJsonObject("variables")).isEqualTo(new JsonObject().put("name", "Ada")
        .put("suffix", (String) null).put("product", "tea"));
    assertThat(detail.getString("callScreeningPurpose")).isEqualTo("a delivery update");
    assertThat(detail.getValue("callScreeningIdentity")).isNull();
    assertThat(engine.sql("SELECT system_prompt, initial_greeting FROM calls WHERE id = ?", callId)
        .get(0)).containsEntry("system_prompt", "You sell tea.")
        .containsEntry("initial_greeting", "Hi Ada, about {{order}}!");
  }

  @Test
  void aPerCallPromptRunsOnTheAgentsTierUnlessTheCallNamesOne() {
    Account account = account();
    String callId = place(account, new JsonObject().put("systemPrompt", "Be brief.")).json()
        .getString("id");
    assertThat(call(account, callId).getString("modelTier")).isEqualTo("balanced");
    assertThat(placement(callId).getJsonObject("agent_override")).isEqualTo(new JsonObject()
        .put("retell_llm", new JsonObject().put("model", "gpt-4o")));

    String plain = place(account, new JsonObject()).json().getString("id");
    assertThat(call(account, plain).getValue("modelTier")).isNull();
    assertThat(placement(plain).containsKey("agent_override")).isFalse();
    assertThat(placement(plain).getJsonObject("retell_llm_dynamic_variables")).isEmpty();
  }

  @Test
  void aRecordedCallAsksRetellToKeepTheAudioAndScreensWithBothAnswers() {
    Account account = account();
    engine.api.post("/v1/credits/recording/enable", account.key(), null);
    String callId = place(account, new JsonObject().put("callScreeningIdentity", "Acme Dental")
        .put("callScreeningPurpose", "your appointment tomorrow")).json().getString("id");
    assertThat(placement(callId).getJsonObject("agent_override")).isEqualTo(new JsonObject()
        .put("agent", new JsonObject()
            .put("call_screening_option", new JsonObject().put("agent_identity", "Acme Dental")
                .put("call_purpose", "your appointment tomorrow"))
            .put("data_storage_setting", "everything")));
  }

  @Test
  void aWebhookModeAgentsCallTakesNoLlmOverride() {
    Account account = account();
    assertThat(engine.api.patch("/v1/agents/" + account.agentId(), account.key(),
        new JsonObject().put("voiceMode", "webhook")).status()).isEqualTo(200);
    String callId = place(account, new JsonObject().put("systemPrompt", "Sell {{thing}}.")
        .put("initialGreeting", "Hello!").put("modelTier", "max")
        .put("variables", new JsonObject().put("thing", "tea"))).json().getString("id");
    JsonObject body = placement(callId);
    // our own socket answers a per-call prompt on a webhook-mode agent: Retell has no LLM here
    assertThat(body.containsKey("agent_override")).isFalse();
    assertThat(body.getJsonObject("retell_llm_dynamic_variables").getString("system_prompt"))
        .isEqualTo("Sell tea.");

    Api.Response refused = place(account, new JsonObject()
        .put("variables", new JsonObject().put("thing", "tea")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat((String) refused.detail()).contains("webhook mode").contains("systemPrompt");
  }

  @Test
  void aWebCallPassesItsVariablesToAHostedAgent() {
    Account account = account();
    Api.Response web = engine.api.post("/v1/calls/web", account.key(), new JsonObject()
        .put("agentId", account.agentId()).put("variables", new JsonObject().put("name", "Ada")));
    assertThat(web.status()).isEqualTo(200);
    JsonObject body = retell.to("/v2/create-web-call").stream()
        .map(FakeRetellApi.Request::body).filter(b -> web.json().getString("callId")
            .equals(b.getJsonObject("metadata").getString("agentphone_call_id")))
        .findFirst().orElseThrow();
    assertThat(body.getJsonObject("retell_llm_dynamic_variables"))
        .isEqualTo(new JsonObject().put("name", "Ada"));
  }

  @Test
  void theRecordingIsFetchedOnceWithoutTheApiKeyKeptAndServed() {
    Account account = account();
    engine.api.post("/v1/credits/recording/enable", account.key(), null);
    String callId = place(account, new JsonObject()).json().getString("id");
    byte[] audio = wav(8_000);
    JsonObject ended = retell.endWithRecording(retellIdOf(callId), audio, "audio/wav");
    assertThat(driver.webhook("call_ended", ended).status()).isEqualTo(204);
    assertThat(driver.webhook("call_analyzed", ended.copy().put("call_analysis",
        new JsonObject().put("call_summary", "Talked."))).status()).isEqualTo(204);
    poll(() -> call(account, callId).getBoolean("recordingAvailable"));

    HttpResponse<byte[]> served = WavFile.fetch(call(account, callId).getString("recordingUrl"));
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(audio);
    assertThat(WavFile.parse(served.body()).seconds()).isEqualTo(1.0);
    poll(() -> call(account, callId).getString("summary") != null);
    String path = "/recordings/" + retellIdOf(callId);
    assertThat(retell.to(path)).as("fetched once, with no Retell key").hasSize(1)
        .allMatch(r -> r.authorization() == null);
  }

  @Test
  void anMp3RecordingIsServedAsMp3() {
    Account account = account();
    engine.api.post("/v1/credits/recording/enable", account.key(), null);
    String callId = place(account, new JsonObject()).json().getString("id");
    byte[] mp3 = ("ID3" + "\u0004".repeat(997)).getBytes(StandardCharsets.ISO_8859_1);
    driver.webhook("call_ended", retell.endWithRecording(retellIdOf(callId), mp3,
        "application/octet-stream"));
    poll(() -> call(account, callId).getBoolean("recordingAvailable"));
    HttpResponse<byte[]> served = WavFile.fetch(call(account, callId).getString("recordingUrl"));
    assertThat(served.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
    assertThat(served.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"recording-" + callId + ".mp3\"");
    assertThat(served.body()).isEqualTo(mp3);
  }

  @Test
  void aRecordingLargerThanTheLimitIsNotKeptNorFetchedAgain() {
    Account account = account();
    engine.api.post("/v1/credits/recording/enable", account.key(), null);
    String callId = place(account, new JsonObject()).json().getString("id");
    driver.webhook("call_ended", retell.endWithRecording(retellIdOf(callId), wav(150_000),
        "audio/wav"));
    poll(() -> attempts(callId) == 5);
    assertThat(retell.to("/recordings/" + retellIdOf(callId))).hasSize(1);
    assertThat(call(account, callId).getBoolean("recordingAvailable")).isFalse();
    assertThat(engine.api.get("/v1/calls/" + callId + "/recording", null).status())
        .isEqualTo(404);
  }

  @Test
  void aFailedFetchIsRetriedUntilItSucceeds() {
    Account account = account();
    engine.api.post("/v1/credits/recording/enable", account.key(), null);
    String callId = place(account, new JsonObject()).json().getString("id");
    String path = "/recordings/" + retellIdOf(callId);
    retell.fail(path, 503);
    driver.webhook("call_ended", retell.endWithRecording(retellIdOf(callId), wav(800),
        "audio/wav"));
    poll(() -> !retell.to(path).isEmpty());
    assertThat(call(account, callId).getBoolean("recordingAvailable")).isFalse();
    retell.heal();
    poll(() -> call(account, callId).getBoolean("recordingAvailable"));
    assertThat(retell.to(path).size()).isBetween(2, 5);
  }

  @Test
  void aCallOfAnAccountWithoutRecordingIsNotFetched() {
    Account account = account();
    String callId = place(account, new JsonObject()).json().getString("id");
    JsonObject ended = retell.endWithRecording(retellIdOf(callId), wav(800), "audio/wav");
    driver.webhook("call_ended", ended);
    driver.webhook("call_analyzed", ended.copy().put("call_analysis",
        new JsonObject().put("call_summary", "Short.")));
    poll(() -> call(account, callId).getString("summary") != null);
    assertThat(placement(callId).containsKey("agent_override")).isFalse();
    assertThat(retell.to("/recordings/" + retellIdOf(callId))).isEmpty();
    assertThat(call(account, callId).getBoolean("recordingAvailable")).isFalse();
  }

  @Test
  void aHostedCallEndedThroughTheApiIsHungUpAtRetell() {
    Account account = account();
    String callId = place(account, new JsonObject()).json().getString("id");
    assertThat(engine.api.post("/v1/calls/" + callId + "/end", account.key(), null).status())
        .isEqualTo(200);
    String retellId = retellIdOf(callId);
    poll(() -> !retell.to("/v2/stop-call/" + retellId).isEmpty());
    assertThat(retell.to("/v2/stop-call/" + retellId).get(0).authorization())
        .isEqualTo("Bearer " + KEY);
    assertThat(call(account, callId).getString("disconnectionReason")).isEqualTo("api_hangup");
  }

  private static int attempts(String callId) {
    return (Integer) engine.sql("SELECT recording_attempts FROM calls WHERE id = ?", callId)
        .get(0).get("recording_attempts");
  }

  /** A WAV file of {@code samples} of silence at 8 kHz, 16-bit mono. */
  static byte[] wav(int samples) {
    ByteBuffer out = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
    out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) 1).putInt(8_000).putInt(16_000).putShort((short) 2)
        .putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
    return out.array();
  }
}

package dev.agentphone.providers;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.providers.retell.RetellSignature;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.FakeTwilio;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Live mode talks to the real providers only: without their credentials it does not start, and
 * the sandbox's published secrets (the sandbox Retell key, the sandbox Twilio token) verify
 * nothing in it.
 */
class LiveModeTest {
  private static final List<String> CREDENTIALS = List.of("RETELL_API_KEY", "TWILIO_ACCOUNT_SID",
      "TWILIO_AUTH_TOKEN", "AGENTPHONE_SMTP_HOST");

  @Test
  void theServerRefusesToStartInLiveModeWithoutCredentialsAndSaysWhichAreMissing()
      throws Exception {
    Path data = Files.createTempDirectory("agentphone-live");
    Path output = Files.createTempFile("agentphone-live", ".log");
    ProcessBuilder server = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.agentphone.Main")
        .redirectErrorStream(true).redirectOutput(output.toFile());
    Map<String, String> env = server.environment();
    CREDENTIALS.forEach(env::remove);
    env.put("AGENTPHONE_PROVIDERS", "live");
    env.put("AGENTPHONE_DATA_DIR", data.toString());
    env.put("AGENTPHONE_HTTP_PORT", String.valueOf(TestEngine.freePort()));
    Process process = server.start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server exits").isTrue();
    } finally {
      process.destroyForcibly();
    }
    String log = Files.readString(output);
    assertThat(process.exitValue()).as(log).isEqualTo(2);
    assertThat(log).contains("refusing to start").contains("AGENTPHONE_PROVIDERS=live");
    CREDENTIALS.forEach(name -> assertThat(log).contains(name));
    // it stopped before starting anything: no embedded database was created
    try (Stream<Path> files = Files.list(data)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void anEngineInLiveModeNamesEachMissingCredential() {
    assertThatThrownBy(() -> TestEngine.builder().config(Map.of("providers", "live",
        "twilio.accountSid", FakeTwilio.ACCOUNT_SID, "twilio.authToken", FakeTwilio.AUTH_TOKEN)).start())
        .rootCause().hasMessageContaining("RETELL_API_KEY")
        .hasMessageContaining("AGENTPHONE_SMTP_HOST")
        .hasMessageNotContaining("TWILIO_AUTH_TOKEN");
    // nothing falls back to the sandbox Retell key outside the sandbox
    assertThatThrownBy(() -> RetellClient.apiKey(AppConfig.withOverrides(
        Map.of("providers", "live")))).hasMessageContaining("RETELL_API_KEY");
  }

  @Test
  void inLiveModeOnlyTheRealSecretsVerifyProviderWebhooks() {
    FakeTwilio twilio = new FakeTwilio();
    try (FakeRetellApi retell = new FakeRetellApi();
         TestEngine live = TestEngine.builder().config(Map.of("providers", "live",
             "retell.apiKey", "key_live_retell", "retell.baseUrl", retell.baseUrl(),
             "twilio.accountSid", FakeTwilio.ACCOUNT_SID, "twilio.authToken", FakeTwilio.AUTH_TOKEN,
             "email.smtpHost", "localhost", "email.smtpPort", TestEngine.freePort())).edges(new ProviderEdges(twilio)).start()) {
      String body = new JsonObject().put("event", "call_started").put("call", new JsonObject()
          .put("call_id", "rc_live_" + System.nanoTime()).put("direction", "inbound")
          .put("from_number", "+14155550160").put("to_number", "+14155550161")).encode();
      long now = System.currentTimeMillis();
      assertThat(live.api.send("POST", "/webhooks/retell", null, body, "application/json",
          RetellSignature.HEADER, RetellSignature.sign("sandbox-retell-api-key", body, now))
          .status()).isEqualTo(403);
      assertThat(live.api.send("POST", "/webhooks/retell", null, body, "application/json",
          RetellSignature.HEADER, RetellSignature.sign("key_live_retell", body, now))
          .status()).isEqualTo(204);

      Map<String, String> sms = TwilioForms.sms("SM" + System.nanoTime(), "+14155550162",
          "+14155550163", "hello");
      assertThat(TwilioForms.post(live.api, "/webhooks/twilio/sms", sms,
          "sandbox-twilio-auth-token").status()).isEqualTo(403);
      assertThat(TwilioForms.post(live.api, "/webhooks/twilio/sms", sms,
          FakeTwilio.AUTH_TOKEN).status()).isNotEqualTo(403);
      // and no simulated Retell stands in
      assertThat(live.api.get("/sandbox/retell/v2/get-call/x", null).status()).isEqualTo(404);
    }
  }
}

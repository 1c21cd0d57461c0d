package dev.agentphone.sandbox;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.support.Api;
import dev.agentphone.support.NonLoopbackClient;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import dev.agentphone.providers.twilio.TwilioSignatures;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sandbox stays on the machine it runs on: {@code /sandbox/*} and the webhooks verified with
 * a documented sandbox secret answer loopback clients only, unless {@code sandbox.public} opens
 * them; the call and iMessage simulators act only for the owner of the number or call.
 */
class SandboxGateTest {
  static TestEngine engine;
  static String remoteAddress;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    remoteAddress = NonLoopbackClient.localAddress().orElse(null);
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static NonLoopbackClient fromAnotherHost(TestEngine target) {
    assumeTrue(remoteAddress != null, "this machine has no non-loopback address to test from");
    return new NonLoopbackClient(remoteAddress, target.port);
  }

  @Test
  void aClientOffTheMachineFindsNoSandboxWhateverItClaims() {
    String email = "gate-" + System.nanoTime() + "@example.com";
    JsonObject owner = engine.signUp(email);
    String key = owner.getString("api_key");
    try (NonLoopbackClient remote = fromAnotherHost(engine)) {
      Api.Response emails = remote.get("/sandbox/emails?to=" + email, null);
      assertThat(emails.status()).isEqualTo(404);
      assertThat(emails.json().getString("detail")).contains("loopback")
          .contains("AGENTPHONE_SANDBOX_PUBLIC");
      assertThat(emails.body()).doesNotContain("code");

      // a forwarding header is whatever the client chose to send
      assertThat(remote.get("/sandbox/emails", null, "X-Forwarded-For", "127.0.0.1",
          "Forwarded", "for=127.0.0.1", "X-Real-IP", "127.0.0.1").status()).isEqualTo(404);
      // the router's path normalisation applies to the gate as to the routes it guards
      assertThat(remote.get("/%73andbox/emails", null).status()).isEqualTo(404);
      assertThat(remote.get("/x/../sandbox/emails", null).status()).isEqualTo(404);
      assertThat(remote.get("/sandbox/sms", key).status()).isEqualTo(404);
      assertThat(remote.post("/sandbox/sms", key, new JsonObject().put("from", "+14155550100")
          .put("to", owner.getString("phone_number")).put("body", "hi")).status())
          .isEqualTo(404);
      assertThat(remote.post("/sandbox/calls", key, new JsonObject().put("from", "+14155550100")
          .put("to", owner.getString("phone_number"))).status()).isEqualTo(404);
      assertThat(remote.get("/sandbox/retell/list-voices", "sandbox-retell-api-key").status())
          .isEqualTo(404);
      assertThat(engine.api.get("/sandbox/retell/list-voices", "sandbox-retell-api-key")
          .status()).isEqualTo(200);

      // a webhook signed with the documented sandbox token is refused from off the machine
      Map<String, String> form = TwilioForms.sms("SM" + System.nanoTime(), "+14155550199",
          owner.getString("phone_number"), "forged");
      String signature = TwilioSignatures.sign("sandbox-twilio-auth-token",
          engine.api.base() + "/webhooks/twilio/sms", form);
      Api.Response forged = remote.send(HttpMethod.POST, "/webhooks/twilio/sms", null,
          TwilioForms.encode(form), "application/x-www-form-urlencoded",
          "X-Twilio-Signature", signature);
      assertThat(forged.status()).isEqualTo(404);
      assertThat(remote.post("/webhooks/retell", null, new JsonObject()).status())
          .isEqualTo(404);
      // (on the machine, the same unsigned request reaches the signature check)
      assertThat(engine.api.post("/webhooks/retell", null, new JsonObject()).status())
          .isEqualTo(403);
      assertThat(engine.api.get("/v1/conversations", key).body()).doesNotContain("+14155550199");

      // the API itself and the health check are for everyone
      assertThat(remote.get("/v1/agents", key).status()).isEqualTo(200);
      assertThat(remote.get("/health", null).status()).isEqualTo(200);
    }
    // on the machine itself everything keeps working
    assertThat(engine.api.get("/sandbox/emails?to=" + email, null).json()
        .getJsonArray("data")).hasSize(1);
  }

  @Test
  void sandboxPublicOpensTheSandboxToEveryClient() {
    assertThat(AppConfig.load(Map.of("AGENTPHONE_SANDBOX_PUBLIC", "true"))
        .bool("sandbox.public")).isTrue();
    assertThat(AppConfig.load(Map.of()).bool("sandbox.public")).isFalse();
    try (TestEngine open = TestEngine.builder().config(Map.of("sandbox.public", true)).start();
         NonLoopbackClient remote = fromAnotherHost(open)) {
      String email = "open-" + System.nanoTime() + "@example.com";
      assertThat(remote.post("/v0/agent/sign-up", null, new JsonObject()
          .put("human_email", email)).status()).isEqualTo(200);
      Api.Response emails = remote.get("/sandbox/emails?to=" + email, null);
      assertThat(emails.status()).isEqualTo(200);
      assertThat(emails.json().getJsonArray("data")).hasSize(1);
    }
  }

  @Test
  void theCallSimulatorActsOnlyForTheOwnerOfTheNumberAndCall() {
    JsonObject owner = engine.signUp("caller-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    String stranger = engine.newKey();
    JsonObject dial = new JsonObject().put("from", "+14155550142")
        .put("to", owner.getString("phone_number"));

    Api.Response anonymous = engine.api.post("/sandbox/calls", null, dial);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().getString("detail")).isNotBlank();
    Api.Response foreign = engine.api.post("/sandbox/calls", stranger, dial);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().getString("detail")).contains("on this account");
    assertThat(engine.sql("SELECT 1 FROM calls WHERE account_id = ?",
        owner.getString("account_id"))).isEmpty();

    Api.Response dialed = engine.api.post("/sandbox/calls", key, dial);
    assertThat(dialed.status()).as(dialed.body()).isEqualTo(200);
    String callId = dialed.json().getString("callId");
    JsonObject hello = new JsonObject().put("text", "Hello there");
    assertThat(engine.api.post("/sandbox/calls/" + callId + "/say", null, hello).status())
        .isEqualTo(401);
    assertThat(engine.api.post("/sandbox/calls/" + callId + "/say", stranger, hello).status())
        .isEqualTo(404);
    assertThat(engine.api.post("/sandbox/calls/" + callId + "/hangup", stranger, null).status())
        .isEqualTo(404);
    assertThat(engine.api.post("/sandbox/calls/" + callId + "/hangup", null, null).status())
        .isEqualTo(401);
    // the stranger's hang-up did nothing: the owner's caller still talks to the agent
    Api.Response said = engine.api.post("/sandbox/calls/" + callId + "/say", key, hello);
    assertThat(said.status()).as(said.body()).isEqualTo(200);
    assertThat(said.json().getString("reply")).isEqualTo("Hello! How can I help you today?");
    assertThat(engine.api.post("/sandbox/calls/" + callId + "/hangup", key, null).status())
        .isEqualTo(200);
    poll(() -> !"in-progress".equals(engine.api.get("/v1/calls/" + callId, key).json()
        .getString("status")));
  }

  @Test
  void theIMessageSimulatorActsOnlyForTheOwnerOfTheNumber() {
    JsonObject owner = engine.signUp("imsg-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    String stranger = engine.newKey();
    JsonObject imessage = engine.api.post("/v1/numbers", key, new JsonObject()
        .put("type", "imessage").put("agentId", owner.getString("agent_id"))).json();
    JsonObject text = new JsonObject().put("from", "+12125550150")
        .put("to", imessage.getString("phoneNumber")).put("body", "Dinner at 8?");

    assertThat(engine.api.post("/sandbox/imessage", null, text).status()).isEqualTo(401);
    assertThat(engine.api.post("/sandbox/imessage", stranger, text).status()).isEqualTo(404);
    assertThat(engine.sql("SELECT 1 FROM messages WHERE account_id = ?",
        owner.getString("account_id"))).isEmpty();
    Api.Response received = engine.api.post("/sandbox/imessage", key, text);
    assertThat(received.status()).as(received.body()).isEqualTo(200);

    JsonObject reaction = new JsonObject().put("from", "+12125550150")
        .put("to", imessage.getString("phoneNumber"))
        .put("messageId", received.json().getString("messageId")).put("reaction", "like");
    assertThat(engine.api.post("/sandbox/imessage/reactions", null, reaction).status())
        .isEqualTo(401);
    assertThat(engine.api.post("/sandbox/imessage/reactions", stranger, reaction).status())
        .isEqualTo(404);
    assertThat(engine.api.post("/sandbox/imessage/reactions", key, reaction).status())
        .isEqualTo(200);
  }

  @Test
  void loopbackMeansTheLoopbackRangesOnly() {
    assertThat(SandboxGate.isLoopback(SocketAddress.inetSocketAddress(1, "127.0.0.1"))).isTrue();
    assertThat(SandboxGate.isLoopback(SocketAddress.inetSocketAddress(1, "127.3.4.5"))).isTrue();
    assertThat(SandboxGate.isLoopback(SocketAddress.inetSocketAddress(1, "::1"))).isTrue();
    assertThat(SandboxGate.isLoopback(SocketAddress.inetSocketAddress(1, "::ffff:127.0.0.1")))
        .isTrue();
    assertThat(SandboxGate.isLoopback(SocketAddress.inetSocketAddress(1, "192.0.2.7"))).isFalse();
    assertThat(SandboxGate.isLoopback(SocketAddress.inetSocketAddress(1, "10.0.0.1"))).isFalse();
    assertThat(SandboxGate.isLoopback(SocketAddress.inetSocketAddress(1, "fd00::2"))).isFalse();
    assertThat(SandboxGate.isLoopback(SocketAddress.inetSocketAddress(1, "0.0.0.0"))).isFalse();
    assertThat(SandboxGate.isLoopback(SocketAddress.domainSocketAddress("/tmp/x"))).isFalse();
    assertThat(SandboxGate.isLoopback(null)).isFalse();
  }
}

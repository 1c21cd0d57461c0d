package dev.agentphone.registration;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requiring an approved registration before texting US numbers: for every plan
 * ({@code registration.requiredForUsSms}) or for one plan
 * ({@code plans.catalog.<plan>.registrationRequiredForUsSms}). The refusal says how to register;
 * iMessage and numbers outside +1 are not affected; each sub-account needs its own registration.
 */
class UsSmsGateTest {
  private static Api.Response sms(Api api, String key, JsonObject account, String to) {
    return api.post("/v1/messages", key, new JsonObject()
        .put("agent_id", account.getString("agent_id")).put("to_number", to).put("body", "Hi"));
  }

  @Test
  void usSmsWaitsForAnApprovedRegistrationWhenRequired() {
    try (TestEngine engine = TestEngine.builder().config(java.util.Map.of(
        "registration.requiredForUsSms", true, "registration.sandboxStageSeconds", 3600)).start()) {
      Api api = engine.api;
      JsonObject account = engine.signUp("gate-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");

      Api.Response refused = sms(api, key, account, "+12125550147");
      assertThat(refused.status()).as(refused.body()).isEqualTo(403);
      assertThat((String) refused.detail()).contains("POST /v1/register")
          .contains("no registration");
      // nothing was stored or sent
      assertThat(engine.sql("SELECT id FROM messages WHERE to_number = '+12125550147'")).isEmpty();

      assertThat(sms(api, key, account, "+442071838750").status()).isEqualTo(200);
      String imessage = api.post("/v1/numbers", key, new JsonObject().put("type", "imessage")
          .put("agentId", account.getString("agent_id"))).json().getString("phoneNumber");
      assertThat(api.post("/v1/messages", key, new JsonObject().put("from_number", imessage)
          .put("to_number", "+12125550147").put("body", "Hi")).status()).isEqualTo(200);

      assertThat(api.post("/v1/register", key, Registrations.soleProprietor()
          .put("create_sub_account", false)).status()).isEqualTo(200);
      Api.Response pending = sms(api, key, account, "+12125550147");
      assertThat(pending.status()).isEqualTo(403);
      assertThat((String) pending.detail()).contains("under review");

      assertThat(api.post("/sandbox/registration", key, new JsonObject().put("decision",
          "approve")).status()).isEqualTo(200);
      Api.Response sent = sms(api, key, account, "+12125550147");
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
      assertThat(sent.json().getString("channel")).isEqualTo("sms");

      // a sub-account texts US numbers after its own registration, not its parent's
      String sub = api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Shop"))
          .json().getString("id");
      Api.Response line = api.asSubAccount(sub).post("/v1/numbers", key, new JsonObject());
      assertThat(line.status()).as(line.body()).isEqualTo(200);
      Api.Response childSms = api.asSubAccount(sub).post("/v1/messages", key, new JsonObject()
          .put("from_number", line.json().getString("phoneNumber"))
          .put("to_number", "+12125550148").put("body", "Hi"));
      assertThat(childSms.status()).as(childSms.body()).isEqualTo(403);
    }
  }

  @Test
  void aPlanCanRequireItAndNothingIsRequiredByDefault() {
    try (TestEngine engine = TestEngine.builder()
        .config("plans.catalog.starter.registrationRequiredForUsSms", true).start()) {
      JsonObject account = engine.signUp("plan-gate-" + System.nanoTime() + "@example.com");
      assertThat(sms(engine.api, account.getString("api_key"), account, "+12125550149")
          .status()).isEqualTo(403);
    }
    try (TestEngine engine = TestEngine.start()) {
      JsonObject account = engine.signUp("no-gate-" + System.nanoTime() + "@example.com");
      assertThat(sms(engine.api, account.getString("api_key"), account, "+12125550149")
          .status()).isEqualTo(200);
    }
  }
}

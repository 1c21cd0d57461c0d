package dev.agentphone.providers;

import dev.agentphone.support.Api;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.FakeTwilio;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What live mode does with the iMessage-carrier features when no iMessage carrier is configured
 * (none is integrated): the capability check asks Twilio Lookup for SMS and reports iMessage
 * false, and shared locations and contact cards are refused with 501. The account, with an
 * iMessage number, was made in sandbox mode on the same database.
 */
class LiveModeLookupsTest {
  @Test
  void liveModeLooksUpSmsWithTwilioAndRefusesWhatNeedsAnIMessageCarrier() {
    String database;
    String key;
    String iMessageNumber;
    try (TestEngine sandbox = TestEngine.start()) {
      database = sandbox.databaseUrl;
      JsonObject account = sandbox.signUp("live-" + System.nanoTime() + "@example.com");
      key = account.getString("api_key");
      iMessageNumber = sandbox.api.post("/v1/numbers", key,
          new JsonObject().put("type", "imessage")).json().getString("id");
      assertThat(sandbox.api.post("/sandbox/sms", key, new JsonObject()
          .put("from", "+12125550150").put("to", account.getString("phone_number"))
          .put("body", "hi")).status()).isEqualTo(200);
    }

    FakeTwilio twilio = new FakeTwilio();
    try (FakeRetellApi retell = new FakeRetellApi();
         TestEngine live = TestEngine.builder().database(database).config(Map.of(
             "providers", "live", "retell.apiKey", "key_live_retell",
             "retell.baseUrl", retell.baseUrl(), "twilio.accountSid", FakeTwilio.ACCOUNT_SID,
             "twilio.authToken", FakeTwilio.AUTH_TOKEN, "email.smtpHost", "localhost",
             "email.smtpPort", TestEngine.freePort()))
             .edges(new ProviderEdges(twilio)).start()) {
      Api api = live.api;
      // an even fictional number, which the sandbox's rule calls iMessage-capable
      Api.Response capabilities = api.get(
          "/v1/contacts/capabilities?phone_number=%2B12125550150", key);
      assertThat(capabilities.status()).as(capabilities.body()).isEqualTo(200);
      assertThat(capabilities.json().getJsonObject("capabilities")).isEqualTo(new JsonObject()
          .put("imessage", false).put("sms", true));
      assertThat(twilio.lookups).extracting(FakeTwilio.Lookup::phoneNumber)
          .containsExactly("+12125550150");

      for (Api.Response refused : new Api.Response[] {
          api.get("/v1/location/%2B12125550150", key),
          api.post("/v1/location/refresh", key, null)}) {
        assertThat(refused.status()).isEqualTo(501);
        assertThat(refused.detail()).isEqualTo("Location needs an iMessage carrier with shared "
            + "location; none is configured in live mode");
      }
      // bad input is still a 422 first
      assertThat(api.get("/v1/location/abc", key).status()).isEqualTo(422);

      Api.Response card = api.send("PUT", "/v1/numbers/" + iMessageNumber + "/contact-card", key,
          new JsonObject().put("displayName", "Acme").encode(), "application/json");
      assertThat(card.status()).isEqualTo(501);
      assertThat((String) card.detail()).contains("iMessage carrier");
    }
  }
}

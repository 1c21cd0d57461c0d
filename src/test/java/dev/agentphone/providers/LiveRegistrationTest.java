package dev.agentphone.providers;

import com.twilio.http.HttpMethod;
import dev.agentphone.support.Api;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.FakeTwilio;
import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A2P 10DLC in live mode, through the real Twilio SDK against the fake of Twilio's Trust Hub and
 * Messaging APIs: the brand (customer profile, A2P profile, brand registration) is submitted by the
 * worker, its review polled, the campaign submitted once the brand is approved and polled in turn;
 * the carriers' rejection reaches the status with their reason, and Twilio failing is tried again.
 */
class LiveRegistrationTest {
  private static void await(String what, BooleanSupplier done) {
    long until = System.currentTimeMillis() + 30_000;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static JsonObject status(Api api, String key) {
    return api.get("/v1/register/status", key).json();
  }

  private static JsonObject standardBrand() {
    return new JsonObject()
        .put("registration_type", "standard_brand").put("first_name", "Ada")
        .put("last_name", "Lovelace").put("email", "ada@acme.example.com")
        .put("phone_number", "+12125550123").put("street_address", "1 Main St")
        .put("city", "New York").put("state", "NY").put("zip_code", "10001")
        .put("business_name", "Acme Orders LLC").put("brand_name", "Acme Orders")
        .put("organization_type", "llc").put("contact_title", "ceo").put("ein", "12-3456789")
        .put("privacy_policy_url", "https://acme.example.com/privacy")
        .put("terms_of_service_url", "https://acme.example.com/terms")
        .put("description", "Acme Orders texts customers about the orders they placed with us.")
        .put("use_cases", new JsonArray().add("delivery_notification").add("customer_care"))
        .put("includes", new JsonArray().add("links"))
        .put("message_samples", new JsonArray().add("Acme Orders: your order 1042 has shipped.")
            .add("Acme Orders: your order 1042 was delivered."))
        .put("consent_flow", "Customers tick an SMS opt-in box on the Acme Orders checkout page.")
        .put("opt_in_image_url", "https://acme.example.com/opt-in.png")
        .put("create_sub_account", false);
  }

  private static String sids(TestEngine engine, String accountId) {
    return engine.sql("SELECT provider_sids::text AS s FROM registrations WHERE account_id = ? "
        + "ORDER BY created_at DESC LIMIT 1", accountId).get(0).get("s").toString();
  }

  @Test
  void aRegistrationIsSubmittedToTwilioAndFollowedToItsVerdict() {
    String database = TestDatabase.fresh();
    JsonObject[] accounts = new JsonObject[3];
    try (TestEngine sandbox = TestEngine.builder().database(database).start()) {
      for (int i = 0; i < accounts.length; i++) {
        accounts[i] = sandbox.signUp("live-reg-" + i + "-" + System.nanoTime() + "@example.com");
      }
    }
    FakeTwilio twilio = new FakeTwilio();
    Map<String, Object> live = new HashMap<>(Map.of("providers", "live",
        "retell.apiKey", "key_live_retell", "twilio.accountSid", FakeTwilio.ACCOUNT_SID,
        "twilio.authToken", FakeTwilio.AUTH_TOKEN, "email.smtpHost", "localhost",
        "email.smtpPort", TestEngine.freePort(), "registration.workerIntervalMillis", 100,
        "registration.pollSeconds", 0.2));
    try (FakeRetellApi retell = new FakeRetellApi()) {
      live.put("retell.baseUrl", retell.baseUrl());
      try (TestEngine engine = TestEngine.builder().database(database).config(live)
          .edges(new ProviderEdges(twilio)).start()) {
        Api api = engine.api;
        String key = accounts[0].getString("api_key");
        String accountId = accounts[0].getString("account_id");

        Api.Response made = api.post("/v1/register", key, standardBrand());
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        await("brand submitted", () -> "brand_submitted".equals(status(api, key)
            .getString("stage")));

        FakeTwilio.Call profile = twilio.calls(HttpMethod.POST, "trusthub.twilio.com/v1/CustomerProfiles")
            .get(0);
        assertThat(profile.form().get("PolicySid")).isEqualTo("RNdfbf3fae0e1107f8aded0e7cead80bf5");
        assertThat(profile.form().get("Email")).isEqualTo("ada@acme.example.com");
        JsonObject business = new JsonObject(twilio.calls(HttpMethod.POST,
            "trusthub.twilio.com/v1/EndUsers").get(0).form().get("Attributes"));
        assertThat(business.getString("business_name")).isEqualTo("Acme Orders LLC");
        assertThat(business.getString("business_registration_number")).isEqualTo("12-3456789");
        FakeTwilio.Call brand = twilio.calls(HttpMethod.POST, "/v1/a2p/BrandRegistrations").get(0);
        assertThat(brand.form().get("BrandType")).isEqualTo("STANDARD");
        String profileSid = brand.form().get("CustomerProfileBundleSid");
        assertThat(twilio.a2pObject(profileSid).getString("status")).isEqualTo("pending-review");
        JsonObject stored = new JsonObject(sids(engine, accountId));
        assertThat(stored.getString("customerProfileSid")).isEqualTo(profileSid);
        assertThat(stored.getString("a2pProfileSid")).isEqualTo(brand.form().get("A2PProfileBundleSid"));
        assertThat(stored.getString("brandSid")).startsWith("BN");

        // the brand's review is polled; nothing more is submitted until it is approved
        await("polled", () -> twilio.calls(HttpMethod.GET, "/v1/a2p/BrandRegistrations/").size() >= 2);
        assertThat(twilio.calls(HttpMethod.POST, "/Compliance/Usa2p")).isEmpty();
        assertThat(status(api, key).getString("campaign_status")).isEqualTo("pending");

        twilio.reviewBrands("APPROVED", null);
        await("campaign submitted", () -> "campaign_submitted".equals(status(api, key)
            .getString("stage")));
        FakeTwilio.Call campaign = twilio.calls(HttpMethod.POST, "/Compliance/Usa2p").get(0);
        assertThat(campaign.form().get("BrandRegistrationSid")).isEqualTo(stored.getString("brandSid"));
        assertThat(campaign.form().get("UsAppToPersonUsecase")).isEqualTo("MIXED");
        assertThat(campaign.form().get("HasEmbeddedLinks")).isEqualTo("true");
        assertThat(campaign.form().get("HasEmbeddedPhone")).isEqualTo("false");
        assertThat(campaign.form().get("MessageFlow")).startsWith("Customers tick");
        assertThat(campaign.formValues().get("MessageSamples")).containsExactly(
            "Acme Orders: your order 1042 has shipped.", "Acme Orders: your order 1042 was delivered.");

        twilio.reviewCampaigns("VERIFIED");
        await("approved", () -> "approved".equals(status(api, key).getString("campaign_status")));
        assertThat(status(api, key).getString("stage")).isEqualTo("campaign_approved");
        assertThat(new JsonObject(sids(engine, accountId)).getString("campaignSid")).startsWith("QE");

        // the carriers reject a brand: the reason reaches the status
        String second = accounts[1].getString("api_key");
        assertThat(api.post("/v1/register", second, standardBrand()
            .put("registration_type", "sole_proprietor")).status()).isEqualTo(200);
        await("submitted", () -> "brand_submitted".equals(status(api, second).getString("stage")));
        assertThat(twilio.calls(HttpMethod.POST, "/v1/a2p/BrandRegistrations").get(1).form()
            .get("BrandType")).isEqualTo("SOLE_PROPRIETOR");
        twilio.reviewBrands("FAILED", "The EIN does not match the business name");
        await("rejected", () -> "rejected".equals(status(api, second).getString("campaign_status")));
        assertThat(status(api, second).getString("message"))
            .contains("The EIN does not match the business name").contains("POST /v1/register");

        // Twilio failing is tried again; Twilio refusing what was sent rejects it
        String third = accounts[2].getString("api_key");
        twilio.failNext("POST messaging.twilio.com/v1/a2p/BrandRegistrations", 503, 20503,
            "Service unavailable");
        assertThat(api.post("/v1/register", third, standardBrand()).status()).isEqualTo(200);
        await("submitted after a retry", () -> "brand_submitted".equals(status(api, third)
            .getString("stage")));
        List<FakeTwilio.Call> brands = twilio.calls(HttpMethod.POST, "/v1/a2p/BrandRegistrations");
        assertThat(brands).hasSize(4);
        twilio.failNext("GET messaging.twilio.com/v1/a2p/BrandRegistrations/{sid}", 400, 21000,
            "Invalid brand");
        await("rejected", () -> "rejected".equals(status(api, third).getString("campaign_status")));
        assertThat(status(api, third).getString("message")).contains("Invalid brand");
      }
    }
  }
}

package dev.agentphone.providers.twilio;

import com.twilio.http.HttpMethod;
import dev.agentphone.providers.ProviderEdges;
import dev.agentphone.support.Api;
import dev.agentphone.support.FakeTwilio;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Twilio provider through the real SDK, against a fake of Twilio's REST API. */
class TwilioProviderTest {
  static final FakeTwilio twilio = new FakeTwilio();
  static TestEngine server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of("twilio.accountSid", FakeTwilio.ACCOUNT_SID,
        "twilio.authToken", FakeTwilio.AUTH_TOKEN)).edges(new ProviderEdges(twilio)).start();
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void clean() {
    twilio.reset();
  }

  private static long numbersOf(String accountId) {
    return (Long) server.sql("SELECT count(*) AS n FROM phone_numbers WHERE account_id = ?",
        accountId).get(0).get("n");
  }

  @Test
  void signupBuysATwilioNumberAndPointsItAtUs() {
    JsonObject account = server.signUp("twilio-" + System.nanoTime() + "@example.com");
    String phone = account.getString("phone_number");
    assertThat(phone).startsWith("+1415555");
    Map<String, Object> row = server.sql("SELECT provider, provider_sid FROM phone_numbers "
        + "WHERE id = ?", account.getString("number_id")).get(0);
    assertThat(row.get("provider")).isEqualTo("twilio");
    JsonObject held = twilio.incoming.get((String) row.get("provider_sid"));
    assertThat(held.getString("phone_number")).isEqualTo(phone);
    assertThat(held.getString("sms_url")).isEqualTo(api.base() + "/webhooks/twilio/sms");
    assertThat(held.getString("sms_method")).isEqualTo("POST");
    assertThat(held.getString("status_callback")).isEqualTo(api.base() + "/webhooks/twilio/status");
    FakeTwilio.Call search = twilio.calls(HttpMethod.GET, "/AvailablePhoneNumbers/US/Local.json")
        .get(0);
    assertThat(search.query()).containsEntry("SmsEnabled", "true");
  }

  @Test
  void buyingSearchesTheAreaCode() {
    String key = server.newKey();
    twilio.reset();
    Api.Response bought = api.post("/v1/numbers", key, new JsonObject().put("areaCode", "212"));
    assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    assertThat(bought.json().getString("phoneNumber")).startsWith("+1212");
    assertThat(bought.json().getString("country")).isEqualTo("US");
    assertThat(twilio.calls(HttpMethod.GET, "/AvailablePhoneNumbers/US/Local.json").get(0).query())
        .containsEntry("AreaCode", "212").containsEntry("SmsEnabled", "true");
  }

  @Test
  void twilioRefusingThePurchaseIsA400AndStoresNothing() {
    JsonObject account = server.signUp("refused-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    twilio.failNext("POST /IncomingPhoneNumbers.json", 400, 21422, "PhoneNumber is not available");
    Api.Response refused = api.post("/v1/numbers", key, new JsonObject());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail"))
        .contains("PhoneNumber is not available").contains("21422");
    assertThat(numbersOf(account.getString("account_id"))).isEqualTo(1);
  }

  @Test
  void twilioFailingIsA502AndStoresNothing() {
    JsonObject account = server.signUp("down-" + System.nanoTime() + "@example.com");
    twilio.failNext("GET /AvailablePhoneNumbers/{country}/Local.json", 401, 20003, "Authenticate");
    Api.Response failed = api.post("/v1/numbers", account.getString("api_key"), new JsonObject());
    assertThat(failed.status()).isEqualTo(502);
    assertThat(failed.json().getString("detail")).contains("Authenticate");
    assertThat(numbersOf(account.getString("account_id"))).isEqualTo(1);
  }

  @Test
  void aNumberWhoseWebhookCannotBeSetIsGivenBack() {
    JsonObject account = server.signUp("webhook-" + System.nanoTime() + "@example.com");
    twilio.failNext("POST /IncomingPhoneNumbers/{sid}.json", 400, 21402, "SmsUrl is not valid");
    int held = twilio.incoming.size();
    Api.Response failed = api.post("/v1/numbers", account.getString("api_key"), new JsonObject());
    assertThat(failed.status()).isEqualTo(400);
    assertThat(twilio.calls(HttpMethod.DELETE, "/IncomingPhoneNumbers/PN")).hasSize(1);
    assertThat(twilio.incoming).hasSize(held);
    assertThat(numbersOf(account.getString("account_id"))).isEqualTo(1);
  }

  @Test
  void noAvailableNumberIsAClear400() {
    String key = server.newKey();
    twilio.noneAvailable(true);
    Api.Response none = api.post("/v1/numbers", key, new JsonObject().put("areaCode", "907"));
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.json().getString("detail")).contains("No SMS-capable numbers")
        .contains("907");
  }

  @Test
  void releaseGivesTheNumberBackToTwilio() {
    String key = server.newKey();
    JsonObject number = api.post("/v1/numbers", key, new JsonObject()).json();
    String sid = (String) server.sql("SELECT provider_sid FROM phone_numbers WHERE id = ?",
        number.getString("id")).get(0).get("provider_sid");
    Api.Response released = api.delete("/v1/numbers/" + number.getString("id"), key);
    assertThat(released.status()).isEqualTo(200);
    assertThat(twilio.incoming).doesNotContainKey(sid);
    assertThat(api.get("/v1/numbers/" + number.getString("id"), key).json().getString("status"))
        .isEqualTo("released");
  }

  @Test
  void sendingGoesThroughTwilioAndStatusCallbacksUpdateIt() {
    JsonObject account = server.signUp("send-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    Api.Response sent = api.post("/v1/messages", key, new JsonObject()
        .put("agent_id", account.getString("agent_id"))
        .put("to_number", "(212) 555-0123").put("body", "Hello from Twilio")
        .put("media_url", "https://example.com/cat.jpg"));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.json().getString("status")).isEqualTo("queued");
    assertThat(sent.json().getString("channel")).isEqualTo("mms");
    assertThat(sent.json().getString("to_number")).isEqualTo("+12125550123");
    String messageId = sent.json().getString("id");
    FakeTwilio.Call create = twilio.calls(HttpMethod.POST, "/Messages.json").get(0);
    assertThat(create.form()).containsEntry("To", "+12125550123")
        .containsEntry("From", account.getString("phone_number"))
        .containsEntry("Body", "Hello from Twilio")
        .containsEntry("MediaUrl", "https://example.com/cat.jpg")
        .containsEntry("StatusCallback", api.base() + "/webhooks/twilio/status?messageId=" + messageId);
    String sid = (String) server.sql("SELECT provider_sid FROM messages WHERE id = ?", messageId)
        .get(0).get("provider_sid");
    assertThat(sid).startsWith("SM");

    String callback = "/webhooks/twilio/status?messageId=" + messageId;
    Api.Response delivered = TwilioForms.post(api, callback, Map.of("MessageSid", sid,
        "MessageStatus", "delivered", "AccountSid", FakeTwilio.ACCOUNT_SID), FakeTwilio.AUTH_TOKEN);
    assertThat(delivered.status()).isEqualTo(204);
    // a late, out-of-order "sent" must not undo "delivered"
    TwilioForms.post(api, callback, Map.of("MessageSid", sid, "MessageStatus", "sent"),
        FakeTwilio.AUTH_TOKEN);
    assertThat(server.sql("SELECT status FROM messages WHERE id = ?", messageId).get(0)
        .get("status")).isEqualTo("delivered");
    // unsigned callbacks change nothing
    assertThat(TwilioForms.postUnsigned(api, callback, Map.of("MessageSid", sid,
        "MessageStatus", "failed")).status()).isEqualTo(403);
    assertThat(server.sql("SELECT status FROM messages WHERE id = ?", messageId).get(0)
        .get("status")).isEqualTo("delivered");
  }

  @Test
  void mediaUrlsGoToTwilioAsOneMmsWithEveryMediaUrl() {
    JsonObject account = server.signUp("mms-" + System.nanoTime() + "@example.com");
    List<String> media = List.of("https://example.com/menu-1.jpg",
        "https://example.com/menu-2.jpg", "https://example.com/menu-3.jpg");
    Api.Response sent = api.post("/v1/messages", account.getString("api_key"), new JsonObject()
        .put("from_number", account.getString("phone_number")).put("to_number", "+12125550124")
        .put("body", "").put("media_urls", new io.vertx.core.json.JsonArray(media)));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.json().getString("channel")).isEqualTo("mms");
    assertThat(sent.json().getJsonArray("media_urls")).containsExactlyElementsOf(media);
    FakeTwilio.Call create = twilio.calls(HttpMethod.POST, "/Messages.json").get(0);
    assertThat(create.formValues().get("MediaUrl")).containsExactlyElementsOf(media);
    assertThat(create.form()).doesNotContainKey("Body")
        .containsEntry("From", account.getString("phone_number"));
    assertThat(server.sql("SELECT channel FROM messages WHERE id = ?",
        sent.json().getString("id")).get(0).get("channel")).isEqualTo("mms");
  }

  @Test
  void iMessageOnlyOptionsNeverReachTwilio() {
    JsonObject account = server.signUp("no-effects-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    JsonObject base = new JsonObject().put("agent_id", account.getString("agent_id"))
        .put("body", "hi");
    assertThat(api.post("/v1/messages", key, base.copy().put("to_number", "+12125550125")
        .put("send_style", "slam")).status()).isEqualTo(400);
    assertThat(api.post("/v1/messages", key, base.copy().put("recipients",
        new io.vertx.core.json.JsonArray().add("+12125550125").add("+12125550126"))).status())
        .isEqualTo(400);
    assertThat(twilio.calls(HttpMethod.POST, "/Messages.json")).isEmpty();
  }

  @Test
  void twilioRefusingAMessageIsA400AndTheAttemptIsMarkedFailed() {
    JsonObject account = server.signUp("refuse-msg-" + System.nanoTime() + "@example.com");
    twilio.failNext("POST /Messages.json", 400, 21610, "Attempt to send to unsubscribed recipient");
    Api.Response refused = api.post("/v1/messages", account.getString("api_key"), new JsonObject()
        .put("agent_id", account.getString("agent_id")).put("to_number", "+12125550123")
        .put("body", "hi"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("unsubscribed").contains("21610");
    assertThat(server.sql("SELECT status FROM messages WHERE account_id = ?",
        account.getString("account_id")).get(0).get("status")).isEqualTo("failed");
  }

  @Test
  void inboundIsVerifiedAgainstTheLiveAuthToken() {
    JsonObject account = server.signUp("inbound-" + System.nanoTime() + "@example.com");
    Map<String, String> form = TwilioForms.sms("SM" + System.nanoTime(), "+12125550199",
        account.getString("phone_number"), "hi");
    assertThat(TwilioForms.post(api, "/webhooks/twilio/sms", form, "sandbox-twilio-auth-token")
        .status()).isEqualTo(403);
    assertThat(TwilioForms.post(api, "/webhooks/twilio/sms", form, FakeTwilio.AUTH_TOKEN)
        .status()).isEqualTo(200);
  }

  @Test
  void failedSignupGivesItsNumberBack() {
    String email = "giveback-" + System.nanoTime() + "@example.com";
    Api.Response started = api.post("/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email));
    String code = api.latestCode(email);
    server.sql("CREATE FUNCTION fail_key() RETURNS trigger AS $$ BEGIN "
        + "RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql");
    server.sql("CREATE TRIGGER fail_key BEFORE INSERT ON api_keys "
        + "FOR EACH ROW EXECUTE FUNCTION fail_key()");
    int held = twilio.incoming.size();
    try {
      Api.Response failed = api.post("/v0/agent/verify", null, new JsonObject()
          .put("verification_id", started.json().getString("verification_id"))
          .put("otp_code", code));
      assertThat(failed.status()).isEqualTo(500);
    } finally {
      server.sql("DROP TRIGGER fail_key ON api_keys");
      server.sql("DROP FUNCTION fail_key()");
    }
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).hasSize(1);
    long deadline = System.currentTimeMillis() + 5000;
    while (twilio.incoming.size() != held && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(twilio.incoming).hasSize(held);
  }

  @Test
  void wrongCodesNeverBuyNumbers() {
    String email = "wrong-" + System.nanoTime() + "@example.com";
    Api.Response started = api.post("/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email));
    String code = api.latestCode(email);
    String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    assertThat(api.post("/v0/agent/verify", null, new JsonObject()
        .put("verification_id", started.json().getString("verification_id"))
        .put("otp_code", wrong)).status()).isEqualTo(400);
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).isEmpty();
  }

  @Test
  void signupFailsCleanlyWhenTwilioIsDown() {
    String email = "nosignup-" + System.nanoTime() + "@example.com";
    Api.Response started = api.post("/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email));
    String code = api.latestCode(email);
    twilio.failNext("GET /AvailablePhoneNumbers/{country}/Local.json", 503, 20500,
        "Internal Server Error");
    twilio.failNext("GET /AvailablePhoneNumbers/{country}/Local.json", 503, 20500,
        "Internal Server Error");
    twilio.failNext("GET /AvailablePhoneNumbers/{country}/Local.json", 503, 20500,
        "Internal Server Error");
    twilio.failNext("GET /AvailablePhoneNumbers/{country}/Local.json", 503, 20500,
        "Internal Server Error");
    JsonObject verify = new JsonObject()
        .put("verification_id", started.json().getString("verification_id")).put("otp_code", code);
    Api.Response failed = api.post("/v0/agent/verify", null, verify);
    assertThat(failed.status()).isEqualTo(502);
    assertThat(server.sql("SELECT count(*) AS n FROM accounts WHERE email = ?", email).get(0)
        .get("n")).isEqualTo(0L);
    // the same code works once Twilio is back
    assertThat(api.post("/v0/agent/verify", null, verify).status()).isEqualTo(200);
    List<FakeTwilio.Call> searches = twilio.calls(HttpMethod.GET, "/AvailablePhoneNumbers/");
    assertThat(searches.size()).isGreaterThanOrEqualTo(2);
  }
}

package dev.agentphone.providers.twilio;

import dev.agentphone.providers.ProviderEdges;
import dev.agentphone.support.Api;
import dev.agentphone.support.FakeTwilio;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capability check's SMS answer from Twilio Lookup v2 (Line Type Intelligence) through the
 * real SDK, against a fake of Twilio's REST API speaking Lookup's JSON.
 */
class TwilioLookupTest {
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

  static Api.Response check(String key, String phoneNumber) {
    return api.get("/v1/contacts/capabilities?phone_number="
        + URLEncoder.encode(phoneNumber, StandardCharsets.UTF_8), key);
  }

  static boolean sms(String key, String phoneNumber) {
    Api.Response answer = check(key, phoneNumber);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json().getJsonObject("capabilities").getBoolean("sms");
  }

  @Test
  void smsFollowsTheLineTypeTwilioReports() {
    String key = server.newKey();
    twilio.reset();
    Map<String, Boolean> expected = Map.of("mobile", true, "nonFixedVoip", true,
        "fixedVoip", true, "landline", false, "tollFree", false, "pager", false,
        "unknown", false);
    int n = 10;
    for (Map.Entry<String, Boolean> type : expected.entrySet()) {
      String number = "+1415555" + String.format("%04d", 2000 + n++);
      twilio.lineTypes.put(number, type.getKey());
      assertThat(sms(key, number)).as(type.getKey()).isEqualTo(type.getValue());
    }
    assertThat(twilio.lookups).hasSize(expected.size())
        .allSatisfy(lookup -> assertThat(lookup.fields()).isEqualTo("line_type_intelligence"));
    assertThat(twilio.lookups.get(0).phoneNumber()).startsWith("+1415555");
  }

  @Test
  void aSecondCheckIsAnsweredFromTheCacheWithoutAskingTwilio() {
    String key = server.newKey();
    twilio.reset();
    JsonObject first = check(key, "+14155552101").json();
    JsonObject second = check(key, "(415) 555-2101").json();
    assertThat(second).isEqualTo(first);
    assertThat(twilio.lookups).extracting(FakeTwilio.Lookup::phoneNumber)
        .containsExactly("+14155552101");
  }

  @Test
  void aNumberTwilioCallsInvalidTakesNoSms() {
    String key = server.newKey();
    twilio.reset();
    // valid for the numbering plan, so it reaches Twilio, which has the last word
    twilio.invalidNumbers.add("+14155552102");
    assertThat(sms(key, "+14155552102")).isFalse();
    assertThat(twilio.lookups).hasSize(1);
  }

  @Test
  void twilioFailingIsA502AndNothingIsCached() {
    String key = server.newKey();
    twilio.reset();
    twilio.failNext("GET /v2/PhoneNumbers/{number}", 401, 20003, "Authenticate");
    Api.Response failed = check(key, "+14155552103");
    assertThat(failed.status()).isEqualTo(502);
    assertThat((String) failed.detail()).contains("Twilio could not look the number up")
        .contains("20003");
    assertThat(sms(key, "+14155552103")).as("asked again, now answered").isTrue();
    assertThat(twilio.lookups).hasSize(2);
  }
}

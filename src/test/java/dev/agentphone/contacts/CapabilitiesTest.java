package dev.agentphone.contacts;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/contacts/capabilities} in sandbox mode: the sandbox's documented rule (SMS by
 * the numbering plan's line type, iMessage for even fictional 555-01xx numbers when the account
 * has an iMessage line), kept per account and number.
 */
class CapabilitiesTest {
  static TestEngine server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Api.Response check(Api client, String key, String phoneNumber) {
    return client.get("/v1/contacts/capabilities?phone_number="
        + URLEncoder.encode(phoneNumber, StandardCharsets.UTF_8), key);
  }

  static JsonObject capabilities(Api client, String key, String phoneNumber) {
    Api.Response answer = check(client, key, phoneNumber);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  static void buyIMessageLine(Api client, String key) {
    assertThat(client.post("/v1/numbers", key, new JsonObject().put("type", "imessage"))
        .status()).isEqualTo(200);
  }

  @Test
  void theAnswerNamesTheNumberInE164WithBothChannelsAndWhenItWasChecked() {
    String key = server.newKey();
    JsonObject answer = capabilities(api, key, "(212) 555-0123");
    assertThat(answer.getString("phoneNumber")).isEqualTo("+12125550123");
    assertThat(answer.getJsonObject("capabilities")).isEqualTo(new JsonObject()
        .put("imessage", false).put("sms", true));
    OffsetDateTime checkedAt = OffsetDateTime.parse(answer.getString("checkedAt"));
    assertThat(checkedAt).isBetween(OffsetDateTime.now().minusMinutes(1),
        OffsetDateTime.now().plusMinutes(1));
    // the route is not taken for a contact id
    assertThat(api.get("/v1/contacts/capabilities?phone_number=%2B12125550123", key).status())
        .isEqualTo(200);
    // a "+" sent unencoded arrives as a space and is still understood
    assertThat(api.get("/v1/contacts/capabilities?phone_number=+12125550123", key).json()
        .getString("phoneNumber")).isEqualTo("+12125550123");
  }

  @Test
  void aMissingOrInvalidNumberIs422() {
    String key = server.newKey();
    for (String query : new String[] {"", "?phone_number=", "?phone_number=abc",
        "?phone_number=%2B1", "?phone_number=12"}) {
      Api.Response refused = api.get("/v1/contacts/capabilities" + query, key);
      assertThat(refused.status()).as(query).isEqualTo(422);
      JsonObject error = ((JsonArray) refused.detail()).getJsonObject(0);
      assertThat(error.getJsonArray("loc")).isEqualTo(new JsonArray().add("query")
          .add("phone_number"));
    }
    assertThat(api.get("/v1/contacts/capabilities?phone_number=%2B12125550123", null).status())
        .isEqualTo(401);
  }

  @Test
  void theSandboxRuleDecidesIMessageOnlyOnceTheAccountHasAnIMessageLine() {
    String key = server.newKey();
    // no iMessage line yet: nothing on this account reaches anyone by iMessage
    assertThat(capabilities(api, key, "+12125550124").getJsonObject("capabilities")
        .getBoolean("imessage")).isFalse();

    buyIMessageLine(api, key);
    // the earlier answer is checked again now that there is a line to ask from
    assertThat(capabilities(api, key, "+12125550124").getJsonObject("capabilities"))
        .isEqualTo(new JsonObject().put("imessage", true).put("sms", true));
    assertThat(capabilities(api, key, "+12125550123").getJsonObject("capabilities"))
        .isEqualTo(new JsonObject().put("imessage", false).put("sms", true));
    // fictional numbers only: the sandbox claims nothing about real phones
    assertThat(capabilities(api, key, "+12125551234").getJsonObject("capabilities")
        .getBoolean("imessage")).isFalse();
    // SMS by the numbering plan's type: a UK mobile takes it, a UK landline and toll-free do not
    assertThat(capabilities(api, key, "+447400123456").getJsonObject("capabilities"))
        .isEqualTo(new JsonObject().put("imessage", false).put("sms", true));
    assertThat(capabilities(api, key, "+442071838750").getJsonObject("capabilities")
        .getBoolean("sms")).isFalse();
    assertThat(capabilities(api, key, "+18005550124").getJsonObject("capabilities")
        .getBoolean("sms")).isFalse();
  }

  @Test
  void aSecondCheckIsServedFromTheAccountsCacheUntilItExpires() {
    String key = server.newKey();
    buyIMessageLine(api, key);
    JsonObject first = capabilities(api, key, "+13035550146");
    JsonObject second = capabilities(api, key, "(303) 555-0146");
    assertThat(second).isEqualTo(first);

    // per account: another account checks for itself
    String other = server.newKey();
    JsonObject theirs = capabilities(api, other, "+13035550146");
    assertThat(theirs.getString("checkedAt")).isNotEqualTo(first.getString("checkedAt"));
    assertThat(theirs.getJsonObject("capabilities").getBoolean("imessage"))
        .as("the other account has no iMessage line").isFalse();

    try (TestEngine shortLived = TestEngine.builder()
        .config(Map.of("contacts.capabilitiesTtlSeconds", 0)).start()) {
      String k = shortLived.newKey();
      String a = capabilities(shortLived.api, k, "+13035550146").getString("checkedAt");
      String b = capabilities(shortLived.api, k, "+13035550146").getString("checkedAt");
      assertThat(OffsetDateTime.parse(b)).as("checked again once expired")
          .isAfter(OffsetDateTime.parse(a));
    }
  }
}

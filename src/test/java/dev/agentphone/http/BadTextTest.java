package dev.agentphone.http;

import dev.agentphone.support.Api;
import dev.agentphone.support.RawHttp;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text PostgreSQL cannot store, or that is not valid Unicode, is refused at the edge with a 422
 * naming the field, wherever it is sent; nothing is stored changed; every 4xx the server makes
 * on its own carries a JSON {@code detail}.
 */
class BadTextTest {
  static TestEngine server;
  static RawHttp raw;
  static JsonObject owner;
  static String key;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    raw = new RawHttp(server.port);
    owner = server.signUp("text-" + System.nanoTime() + "@example.com");
    key = owner.getString("api_key");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Asserts a 422 whose only error is at {@code loc} with {@code type}. */
  static void refused(RawHttp.Response response, JsonArray loc, String type) {
    assertThat(response.status()).as(response.body()).isEqualTo(422);
    JsonArray detail = response.json().getJsonArray("detail");
    assertThat(detail).as(response.body()).singleElement().satisfies(e -> {
      assertThat(((JsonObject) e).getJsonArray("loc")).isEqualTo(loc);
      assertThat(((JsonObject) e).getString("type")).isEqualTo(type);
      assertThat(((JsonObject) e).getString("msg")).isNotBlank();
    });
  }

  static JsonArray loc(Object... parts) {
    JsonArray out = new JsonArray();
    for (Object part : parts) {
      out.add(part);
    }
    return out;
  }

  static int agentCount() {
    return server.api.get("/v1/agents?limit=100", key).json().getInteger("total");
  }

  @Test
  void nulInAnAgentNameIs422AndNothingIsCreated() {
    int before = agentCount();
    refused(raw.json("POST", "/v1/agents", key, "{\"name\":\"bad\\u0000name\"}"),
        loc("body", "name"), "string_nul_character");
    assertThat(agentCount()).isEqualTo(before);
  }

  @Test
  void aLoneSurrogateInANameIs422InsteadOfBeingStoredAsAQuestionMark() {
    int before = agentCount();
    refused(raw.json("POST", "/v1/agents", key, "{\"name\":\"a\\ud800\"}"),
        loc("body", "name"), "string_unicode");
    refused(raw.json("PATCH", "/v1/agents/" + owner.getString("agent_id"), key,
        "{\"description\":\"\\udc00 low first\"}"), loc("body", "description"), "string_unicode");
    assertThat(agentCount()).isEqualTo(before);
    // a proper pair is a character like any other and is kept exactly
    Api.Response emoji = server.api.post("/v1/agents", key,
        new JsonObject().put("name", "caf\u00e9 \ud83d\ude00"));
    assertThat(emoji.status()).isEqualTo(200);
    assertThat(server.api.get("/v1/agents/" + emoji.json().getString("id"), key).json()
        .getString("name")).isEqualTo("caf\u00e9 \ud83d\ude00");
  }

  @Test
  void nulAnywhereInConversationMetadataIsNamedKeysIncluded() {
    String conversation = conversation();
    RawHttp.Response response = raw.json("PATCH", "/v1/conversations/" + conversation, key,
        "{\"metadata\":{\"ok\":\"fine\",\"list\":[1,{\"deep\\u0000key\":\"v\"}],"
            + "\"nested\":{\"value\":\"x\\u0000\"}}}");
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().getJsonArray("detail")).extracting(e -> ((JsonObject) e)
        .getJsonArray("loc")).containsExactlyInAnyOrder(
            loc("body", "metadata", "list", 1, "deep\\u0000key"),
            loc("body", "metadata", "nested", "value"));
    assertThat(server.api.get("/v1/conversations/" + conversation, key).json()
        .getValue("metadata")).isNull();
  }

  @Test
  void nulInAPathIdIs422NamingTheParameter() {
    refused(raw.send("GET", "/v1/agents/agt%00x", key, null), loc("path", "agent_id"),
        "string_nul_character");
    refused(raw.send("DELETE", "/v1/contacts/%00", key, null), loc("path", "contact_id"),
        "string_nul_character");
    refused(raw.send("DELETE", "/v1/agents/" + owner.getString("agent_id") + "/numbers/n%00",
        key, null), loc("path", "number_id"), "string_nul_character");
  }

  @Test
  void nulInASearchQueryIs422() {
    refused(raw.send("GET", "/v1/contacts?search=ab%00", key, null), loc("query", "search"),
        "string_nul_character");
    refused(raw.send("GET", "/v1/calls?limit=5&search=%00", key, null), loc("query", "search"),
        "string_nul_character");
  }

  @Test
  void aContactNameEndingInNulIsRefusedNotTrimmed() {
    refused(raw.json("POST", "/v1/contacts", key,
        "{\"name\":\"x\\u0000\",\"phoneNumber\":\"+14155550111\"}"), loc("body", "name"),
        "string_nul_character");
    assertThat(server.api.get("/v1/contacts", key).json().getInteger("total")).isZero();
    // other control characters are text PostgreSQL stores: kept, not trimmed away
    Api.Response kept = server.api.post("/v1/contacts", key,
        new JsonObject().put("name", " x\u0001 ").put("phoneNumber", "+14155550112"));
    assertThat(kept.status()).isEqualTo(201);
    assertThat(kept.json().getString("name")).isEqualTo("x\u0001");
  }

  @Test
  void nulInAWebhookUrlIsRefusedNotDropped() {
    refused(raw.json("POST", "/v1/webhooks", key, "{\"url\":\"https://example.com/h\\u0000\"}"),
        loc("body", "url"), "string_nul_character");
    assertThat(server.api.get("/v1/webhooks", key).body()).isEqualTo("null");
    Api.Response control = server.api.post("/v1/webhooks", key,
        new JsonObject().put("url", "https://example.com/h\u0001"));
    assertThat(control.status()).isEqualTo(422);
    assertThat(server.api.get("/v1/webhooks", key).body()).isEqualTo("null");
  }

  @Test
  void invalidUtf8InTheBodyOrTheUrlIs422NotReplacement() {
    byte[] body = "{\"name\":\"a\u0000\"}".getBytes(StandardCharsets.UTF_8);
    body[body.length - 3] = (byte) 0xff; // where the NUL was: a byte no UTF-8 text contains
    refused(raw.send("POST", "/v1/agents", key, body, "Content-Type", "application/json"),
        loc("body"), "string_unicode");
    byte[] surrogate = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xed, (byte) 0xa0,
        (byte) 0x80, '"', '}'};
    refused(raw.send("POST", "/v1/agents", key, surrogate, "Content-Type", "application/json"),
        loc("body"), "string_unicode");
    refused(raw.send("GET", "/v1/agents/%ff%fe", key, null), loc("path", "agent_id"),
        "string_unicode");
    refused(raw.send("GET", "/v1/contacts?search=%ZZ", key, null), loc("query", "search"),
        "url_encoding");
    refused(raw.send("GET", "/v1/agents/\u00e9", key, null), loc("path", "agent_id"),
        "url_encoding");
    // percent-encoded UTF-8 is fine
    assertThat(raw.send("GET", "/v1/contacts?search=caf%C3%A9", key, null).status())
        .isEqualTo(200);
  }

  @Test
  void numbersThatCannotBeKeptExactlyAre422() {
    String url = "https://example.com/numbers";
    refused(raw.json("POST", "/v1/webhooks", key,
        "{\"url\":\"" + url + "\",\"contextLimit\":4294967301}"),
        loc("body", "contextLimit"), "less_than_equal");
    refused(raw.json("POST", "/v1/webhooks", key, "{\"url\":\"" + url + "\",\"timeout\":1e999}"),
        loc("body", "timeout"), "finite_number");
    refused(raw.json("POST", "/v1/webhooks", key, "{\"url\":\"" + url + "\",\"timeout\":7.5}"),
        loc("body", "timeout"), "int_type");
    refused(raw.send("GET", "/v1/agents?limit=9223372036854775808", key, null),
        loc("query", "limit"), "int_parsing");
    refused(raw.json("PATCH", "/v1/conversations/" + conversation(), key,
        "{\"metadata\":{\"n\":-1e400}}"), loc("body", "metadata", "n"), "finite_number");
  }

  @Test
  void deeplyNestedJsonIsA422() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    RawHttp.Response response = raw.json("PATCH", "/v1/conversations/" + conversation(), key,
        "{\"metadata\":{\"d\":" + deep + "}}");
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.hasDetail()).isTrue();
    assertThat(server.api.get("/health", null).status()).isEqualTo(200);
  }

  @Test
  void aTooLongPathIs414WithDetail() {
    RawHttp.Response response = raw.send("GET", "/v1/agents/" + "a".repeat(9_000), key, null);
    assertThat(response.status()).isEqualTo(414);
    assertThat(response.json().getString("detail")).contains("4096");
    assertThat(response.header("content-type")).isEqualTo("application/json");
  }

  @Test
  void tooLargeHeadersAre431WithDetail() {
    RawHttp.Response response = raw.send("GET", "/v1/agents", key, null,
        "X-Padding", "p".repeat(20_000));
    assertThat(response.status()).isEqualTo(431);
    assertThat(response.json().getString("detail")).contains("8192");
  }

  @Test
  void wrongMethodTooLargeBodyAndMalformedRequestsCarryDetail() {
    RawHttp.Response wrongMethod = raw.send("PUT", "/v1/agents", key, null);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().getString("detail")).isEqualTo("Method Not Allowed");

    byte[] big = new byte[2 << 20];
    java.util.Arrays.fill(big, (byte) 'a');
    RawHttp.Response tooLarge = raw.send("POST", "/v1/agents", key, big,
        "Content-Type", "application/json");
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().getString("detail")).isEqualTo("Request body too large");

    RawHttp.Response badHeader = raw.send("GET", "/v1/agents", key, null, "Content-Length", "x");
    assertThat(badHeader.status()).isEqualTo(400);
    assertThat(badHeader.hasDetail()).isTrue();

    RawHttp.Response noSlash = raw.send("GET", "v1/agents", key, null);
    assertThat(noSlash.status()).isEqualTo(404);
    assertThat(noSlash.hasDetail()).isTrue();
  }

  @Test
  void aCarriersNulIsKeptAsAReplacementCharacterNotLost() {
    JsonObject account = server.signUp("carrier-" + System.nanoTime() + "@example.com");
    String sid = "SM" + System.nanoTime();
    Api.Response inbound = TwilioForms.post(server.api, "/webhooks/twilio/sms", TwilioForms.sms(
        sid, "+12125550301", account.getString("phone_number"), "mail me\u0000example.com"),
        "sandbox-twilio-auth-token");
    assertThat(inbound.status()).isEqualTo(200);
    assertThat(server.sql("SELECT body FROM messages WHERE provider_sid = ?", sid))
        .singleElement().satisfies(row ->
            assertThat(row.get("body")).isEqualTo("mail me\uFFFDexample.com"));
  }

  /** A conversation of the owner's, opened by an inbound SMS. */
  static String conversation() {
    String from = "+1212555" + String.format("%04d", (int) (System.nanoTime() % 10_000));
    assertThat(TwilioForms.post(server.api, "/webhooks/twilio/sms", TwilioForms.sms(
        "SM" + System.nanoTime(), from, owner.getString("phone_number"), "hello"),
        "sandbox-twilio-auth-token").status()).isEqualTo(200);
    for (Object c : server.api.get("/v1/conversations?limit=100", key).json()
        .getJsonArray("data")) {
      if (from.equals(((JsonObject) c).getString("participant"))) {
        return ((JsonObject) c).getString("id");
      }
    }
    throw new AssertionError("no conversation with " + from);
  }
}

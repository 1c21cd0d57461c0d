package dev.agentphone.location;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared locations in sandbox mode: fixed coordinates per number for the people an account is
 * in touch with, a percent-encoded number in the path, and refreshes that arrive
 * {@code pollAfterSeconds} later.
 */
class LocationTest {
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

  /** A new account that {@code friend} texted: its key. */
  static String accountTextedBy(TestEngine engine, String friend) {
    JsonObject account = engine.signUp("where-" + System.nanoTime() + "@example.com");
    Api.Response texted = engine.api.post("/sandbox/sms", account.getString("api_key"),
        new JsonObject().put("from", friend).put("to", account.getString("phone_number"))
            .put("body", "I'm on my way"));
    assertThat(texted.status()).as(texted.body()).isEqualTo(200);
    return account.getString("api_key");
  }

  static Api.Response locate(Api client, String key, String encodedNumber) {
    return client.get("/v1/location/" + encodedNumber, key);
  }

  @Test
  void aConversationsOtherPartyHasAFixedPositionUnderItsPercentEncodedNumber() {
    String key = accountTextedBy(server, "+12125550150");
    long before = System.currentTimeMillis();
    Api.Response found = locate(api, key, "%2B12125550150");
    assertThat(found.status()).as(found.body()).isEqualTo(200);
    JsonObject where = found.json();
    assertThat(where.fieldNames()).containsExactlyInAnyOrder("phoneNumber", "latitude",
        "longitude", "status", "lastUpdated");
    assertThat(where.getString("phoneNumber")).isEqualTo("+12125550150");
    assertThat(where.getString("status")).isEqualTo("live");
    assertThat(where.getDouble("latitude")).isBetween(25.0, 49.0);
    assertThat(where.getDouble("longitude")).isBetween(-124.0, -67.0);
    assertThat(where.getLong("lastUpdated")).as("epoch milliseconds")
        .isBetween(before - 60_000, System.currentTimeMillis() + 60_000);

    // the same answer however the number is written, and on every read until a refresh
    assertThat(locate(api, key, "+12125550150").json()).isEqualTo(where);
    assertThat(locate(api, key, "%28212%29%20555-0150").json()).isEqualTo(where);
    // the position belongs to the number, whichever account asks
    String other = accountTextedBy(server, "+12125550150");
    JsonObject theirs = locate(api, other, "%2B12125550150").json();
    assertThat(List.of(theirs.getDouble("latitude"), theirs.getDouble("longitude")))
        .isEqualTo(List.of(where.getDouble("latitude"), where.getDouble("longitude")));
    assertThat(locate(api, key, "%2B12125550152").json().getDouble("latitude"))
        .as("another number is elsewhere").isNotEqualTo(where.getDouble("latitude"));
  }

  @Test
  void aContactIsKnownTooButAStrangerIsNotFound() {
    String key = server.newKey();
    Api.Response stranger = locate(api, key, "%2B13035550177");
    assertThat(stranger.status()).isEqualTo(404);
    assertThat((String) stranger.detail()).contains("+13035550177")
        .contains("not a contact or conversation of this account");

    assertThat(api.post("/v1/contacts", key, new JsonObject().put("phoneNumber", "+13035550177")
        .put("name", "Grace")).status()).isEqualTo(201);
    assertThat(locate(api, key, "%2B13035550177").status()).isEqualTo(200);
    // another account's contact stays a stranger here
    assertThat(locate(api, server.newKey(), "%2B13035550177").status()).isEqualTo(404);
  }

  @Test
  void aNumberThatIsNotOneIs422() {
    String key = server.newKey();
    for (String bad : new String[] {"abc", "%2B1", "12", "%2B999999999999999999"}) {
      Api.Response refused = locate(api, key, bad);
      assertThat(refused.status()).as(bad).isEqualTo(422);
      assertThat(((JsonArray) refused.detail()).getJsonObject(0).getJsonArray("loc"))
          .isEqualTo(new JsonArray().add("path").add("phone_number"));
    }
    assertThat(locate(api, null, "%2B12125550150").status()).isEqualTo(401);
  }

  @Test
  void aRefreshIsReadAfterPollAfterSeconds() {
    String key = accountTextedBy(server, "+12125550160");
    long first = locate(api, key, "%2B12125550160").json().getLong("lastUpdated");
    Api.Response refresh = api.post("/v1/location/refresh", key, null);
    assertThat(refresh.status()).as(refresh.body()).isEqualTo(200);
    assertThat(refresh.json()).isEqualTo(new JsonObject().put("success", true)
        .put("pollAfterSeconds", 20));
    assertThat(locate(api, key, "%2B12125550160").json().getLong("lastUpdated"))
        .as("the new positions are not in yet").isEqualTo(first);
  }

  @Test
  void aRefreshThatCameInIsTheNewLastUpdated() {
    try (TestEngine quick = TestEngine.builder().config(Map.of("location.pollAfterSeconds", 0))
        .start()) {
      String key = accountTextedBy(quick, "+12125550161");
      JsonObject first = locate(quick.api, key, "%2B12125550161").json();
      JsonObject refresh = quick.api.post("/v1/location/refresh", key, null).json();
      assertThat(refresh.getInteger("pollAfterSeconds")).isZero();
      JsonObject second = locate(quick.api, key, "%2B12125550161").json();
      assertThat(second.getLong("lastUpdated")).isGreaterThan(first.getLong("lastUpdated"));
      assertThat(second.getDouble("latitude")).isEqualTo(first.getDouble("latitude"));
      // read again: nothing new came in since
      assertThat(locate(quick.api, key, "%2B12125550161").json()).isEqualTo(second);
    }
  }
}

package dev.agentphone.numbers;

import com.twilio.http.HttpMethod;
import dev.agentphone.providers.ProviderEdges;
import dev.agentphone.support.Api;
import dev.agentphone.support.FakeTwilio;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The numbers limit holds before Twilio is asked: a purchase reserves its slot first, so
 * concurrent purchases at the limit buy exactly what the plan allows and Twilio never sells a
 * number the engine would have to give back.
 */
class NumberLimitRaceTest {
  static final FakeTwilio twilio = new FakeTwilio();
  static final ExecutorService clients = Executors.newFixedThreadPool(8);
  static TestEngine server;

  String key;
  String accountId;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of("twilio.accountSid", FakeTwilio.ACCOUNT_SID,
        "twilio.authToken", FakeTwilio.AUTH_TOKEN,
        "plans.catalog.starter.limits.numbers", 2)).edges(new ProviderEdges(twilio)).start();
  }

  @AfterAll
  static void stop() {
    clients.shutdownNow();
    server.close();
  }

  /** A new account holding its signup number: one slot left. */
  @BeforeEach
  void account() {
    JsonObject account = server.signUp("race-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    accountId = account.getString("account_id");
    twilio.reset();
  }

  private List<Api.Response> concurrentPurchases(int n) throws Exception {
    List<CompletableFuture<Api.Response>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(CompletableFuture.supplyAsync(
          () -> server.api.post("/v1/numbers", key, new JsonObject()), clients));
    }
    List<Api.Response> answers = new ArrayList<>();
    for (CompletableFuture<Api.Response> purchase : pending) {
      answers.add(purchase.get(60, TimeUnit.SECONDS));
    }
    return answers;
  }

  private long activeNumbers() {
    return (Long) server.sql("SELECT count(*) AS n FROM phone_numbers WHERE account_id = ? "
        + "AND status = 'active'", accountId).get(0).get("n");
  }

  private long reservations() {
    return (Long) server.sql("SELECT count(*) AS n FROM number_reservations WHERE account_id = ?",
        accountId).get(0).get("n");
  }

  @Test
  void concurrentPurchasesAtTheLimitBuyOneNumberAndAskTwilioOnce() throws Exception {
    twilio.slowPurchases(300);
    List<Api.Response> answers = concurrentPurchases(6);

    assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
    assertThat(answers).filteredOn(a -> a.status() == 403).hasSize(5)
        .allMatch(a -> ((String) a.detail()).contains("Number limit reached"));
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).hasSize(1);
    assertThat(twilio.calls(HttpMethod.DELETE, "/IncomingPhoneNumbers/")).isEmpty();
    assertThat(activeNumbers()).isEqualTo(2);
    assertThat(reservations()).isZero();
  }

  @Test
  void aFailedPurchaseGivesItsSlotBack() throws Exception {
    twilio.failNext("POST /IncomingPhoneNumbers.json", 400, 21422, "PhoneNumber is not available");
    assertThat(server.api.post("/v1/numbers", key, new JsonObject()).status()).isEqualTo(400);
    assertThat(reservations()).isZero();

    Api.Response bought = server.api.post("/v1/numbers", key, new JsonObject());
    assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    assertThat(activeNumbers()).isEqualTo(2);
  }

  @Test
  void aPurchaseInFlightHoldsItsSlotAndOneLeftByACrashExpires() {
    // another node is buying for this account right now
    server.sql("INSERT INTO number_reservations (id, account_id, expires_at) "
        + "VALUES ('nres_inflight', ?, now() + interval '5 minutes')", accountId);
    Api.Response refused = server.api.post("/v1/numbers", key, new JsonObject());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).isEmpty();

    // ... and died there: once its reservation expires the slot is free again
    server.sql("UPDATE number_reservations SET expires_at = now() - interval '1 second' "
        + "WHERE id = 'nres_inflight'");
    Api.Response bought = server.api.post("/v1/numbers", key, new JsonObject());
    assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    assertThat(reservations()).isZero();
    assertThat(activeNumbers()).isEqualTo(2);
  }
}

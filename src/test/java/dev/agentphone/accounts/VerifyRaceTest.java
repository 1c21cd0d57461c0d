package dev.agentphone.accounts;

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
 * Verify calls racing with the right code: the sign-up is claimed before Twilio is asked for the
 * starter number, so they create one account and buy one number.
 */
class VerifyRaceTest {
  static final FakeTwilio twilio = new FakeTwilio();
  static final ExecutorService clients = Executors.newFixedThreadPool(8);
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
    clients.shutdownNow();
    server.close();
  }

  @BeforeEach
  void slowTwilio() {
    twilio.reset();
    twilio.slowPurchases(300);
  }

  private static String email() {
    return "verify-race-" + System.nanoTime() + "@example.com";
  }

  /** The verification id of a new sign-up for {@code email}. */
  private static String signUp(String email) {
    Api.Response started = api.post("/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email));
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    return started.json().getString("verification_id");
  }

  private static List<Api.Response> concurrently(List<JsonObject> bodies) throws Exception {
    List<CompletableFuture<Api.Response>> pending = new ArrayList<>();
    for (JsonObject body : bodies) {
      pending.add(CompletableFuture.supplyAsync(
          () -> api.post("/v0/agent/verify", null, body), clients));
    }
    List<Api.Response> answers = new ArrayList<>();
    for (CompletableFuture<Api.Response> answer : pending) {
      answers.add(answer.get(60, TimeUnit.SECONDS));
    }
    return answers;
  }

  private static long accountsFor(String email) {
    return (Long) server.sql("SELECT count(*) AS n FROM accounts WHERE lower(email) = lower(?)",
        email).get(0).get("n");
  }

  @Test
  void concurrentVerifiesOfOneSignUpCreateOneAccountAndBuyOneNumber() throws Exception {
    String email = email();
    String verification = signUp(email);
    String code = api.latestCode(email);
    List<JsonObject> bodies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bodies.add(new JsonObject().put("verification_id", verification).put("otp_code", code));
    }
    List<Api.Response> answers = concurrently(bodies);

    assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
    assertThat(answers).filteredOn(a -> a.status() != 200)
        .allMatch(a -> a.status() == 409 || a.status() == 400)
        .allMatch(a -> a.detail() instanceof String);
    assertThat(accountsFor(email)).isEqualTo(1);
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).hasSize(1);
    assertThat(twilio.calls(HttpMethod.DELETE, "/IncomingPhoneNumbers/")).isEmpty();
    // the one account works
    String key = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow()
        .json().getString("api_key");
    assertThat(api.get("/v1/numbers", key).json().getLong("total")).isEqualTo(1);
  }

  @Test
  void twoSignUpsOfOneEmailVerifiedAtOnceMakeOneAccount() throws Exception {
    String email = email();
    String first = signUp(email);
    String firstCode = api.latestCode(email);
    String second = signUp(email);
    String secondCode = api.latestCode(email);
    List<Api.Response> answers = concurrently(List.of(
        new JsonObject().put("verification_id", first).put("otp_code", firstCode),
        new JsonObject().put("verification_id", second).put("otp_code", secondCode)));

    assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
    assertThat(answers).filteredOn(a -> a.status() == 409).hasSize(1);
    assertThat(accountsFor(email)).isEqualTo(1);
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).hasSize(1);
  }

  @Test
  void aFailedPurchaseGivesTheClaimBackAndAClaimLeftByACrashExpires() {
    String email = email();
    String verification = signUp(email);
    String code = api.latestCode(email);
    JsonObject body = new JsonObject().put("verification_id", verification).put("otp_code", code);

    twilio.failNext("POST /IncomingPhoneNumbers.json", 400, 21422, "PhoneNumber is not available");
    assertThat(api.post("/v0/agent/verify", null, body).status()).isEqualTo(400);
    assertThat(accountsFor(email)).isZero();

    // a node claimed this sign-up and died before buying: nobody buys while its claim is live
    server.sql("INSERT INTO provider_leases (name, token, expires_at) "
        + "VALUES (?, 'lease_dead', now() + interval '5 minutes')", "signup:" + email);
    twilio.reset();
    Api.Response busy = api.post("/v0/agent/verify", null, body);
    assertThat(busy.status()).isEqualTo(409);
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).isEmpty();

    server.sql("UPDATE provider_leases SET expires_at = now() - interval '1 second' "
        + "WHERE name = ?", "signup:" + email);
    Api.Response verified = api.post("/v0/agent/verify", null, body);
    assertThat(verified.status()).as(verified.body()).isEqualTo(200);
    assertThat(accountsFor(email)).isEqualTo(1);
    assertThat(server.sql("SELECT 1 FROM provider_leases WHERE name = ?", "signup:" + email))
        .isEmpty();
  }
}

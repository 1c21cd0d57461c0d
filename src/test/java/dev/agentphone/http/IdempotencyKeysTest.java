package dev.agentphone.http;

import com.twilio.http.HttpMethod;
import dev.agentphone.providers.ProviderEdges;
import dev.agentphone.support.Api;
import dev.agentphone.support.FakeTwilio;
import dev.agentphone.support.RawHttp;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} over HTTP, with Twilio faked at its REST edge: a retried send or
 * purchase reaches Twilio once, a reused key with another request is 422, concurrent requests
 * with one key create one object, keys are per account, expire, and a 5xx does not pin them.
 */
class IdempotencyKeysTest {
  static final FakeTwilio twilio = new FakeTwilio();
  static final ExecutorService clients = Executors.newFixedThreadPool(8);
  static TestEngine server;
  static Api api;

  String key;
  JsonObject account;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of("twilio.accountSid", FakeTwilio.ACCOUNT_SID,
        "twilio.authToken", FakeTwilio.AUTH_TOKEN, "http.idempotencyWaitMillis", 1500,
        "http.idempotencyPurgeSeconds", 1)).edges(new ProviderEdges(twilio)).start();
    api = server.api;
  }

  @AfterAll
  static void stop() {
    clients.shutdownNow();
    server.close();
  }

  @BeforeEach
  void account() {
    account = server.signUp("idem-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    twilio.reset();
  }

  static Api.Response post(String path, String apiKey, Object body, String idempotencyKey) {
    return api.send("POST", path, apiKey, body == null ? null : body.toString(),
        "application/json", IdempotencyKeys.HEADER, idempotencyKey);
  }

  static String newKey() {
    return "key-" + UUID.randomUUID();
  }

  private long count(String sql) {
    return (Long) server.sql(sql, account.getString("account_id")).get(0).get("n");
  }

  private JsonObject sms(String text) {
    return new JsonObject().put("from_number", account.getString("phone_number"))
        .put("to_number", "+12125550123").put("body", text);
  }

  @Test
  void aRetriedMessageSendsOneSmsAndReplaysTheFirstAnswer() {
    String idem = newKey();
    Api.Response first = post("/v1/messages", key, sms("Your table is ready"), idem);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.header(IdempotencyKeys.REPLAYED)).isNull();

    // the retry spells the same JSON differently: it is still the same request
    String respelled = "{ \"body\": \"Your table is ready\", \"to_number\": \"+12125550123\","
        + " \"from_number\": \"" + account.getString("phone_number") + "\" }";
    Api.Response retry = post("/v1/messages", key, respelled, idem);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(retry.header(IdempotencyKeys.REPLAYED)).isEqualTo("true");
    assertThat(retry.header("content-type")).isEqualTo("application/json");

    assertThat(twilio.calls(HttpMethod.POST, "/Messages.json")).hasSize(1);
    assertThat(count("SELECT count(*) AS n FROM messages WHERE account_id = ? "
        + "AND direction = 'outbound'")).isEqualTo(1);

    // without a key every send is its own
    assertThat(api.post("/v1/messages", key, sms("Your table is ready")).status()).isEqualTo(200);
    assertThat(twilio.calls(HttpMethod.POST, "/Messages.json")).hasSize(2);
  }

  @Test
  void aRetriedPurchaseBuysOneNumber() {
    String idem = newKey();
    Api.Response first = post("/v1/numbers", key, new JsonObject(), idem);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    Api.Response retry = post("/v1/numbers", key, new JsonObject(), idem);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(retry.header(IdempotencyKeys.REPLAYED)).isEqualTo("true");

    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).hasSize(1);
    assertThat(count("SELECT count(*) AS n FROM phone_numbers WHERE account_id = ? "
        + "AND status = 'active'")).as("the sign-up number and one bought").isEqualTo(2);
  }

  @Test
  void theSameKeyWithAnotherBodyOrPathIs422AndChangesNothing() {
    String idem = newKey();
    JsonObject ada = new JsonObject().put("name", "Ada").put("phoneNumber", "+14155550101");
    assertThat(post("/v1/contacts", key, ada, idem).status()).isEqualTo(201);

    Api.Response otherBody = post("/v1/contacts", key, ada.copy().put("name", "Grace"), idem);
    assertThat(otherBody.status()).isEqualTo(422);
    JsonObject error = ((JsonArray) otherBody.detail()).getJsonObject(0);
    assertThat(error.getJsonArray("loc")).containsExactly("header", "Idempotency-Key");
    assertThat(error.getString("msg")).contains("different request");

    Api.Response otherPath = post("/v1/agents", key, new JsonObject().put("name", "X"), idem);
    assertThat(otherPath.status()).isEqualTo(422);
    assertThat(api.get("/v1/contacts", key).json().getJsonArray("data")).hasSize(1);
    assertThat(api.get("/v1/agents", key).json().getJsonArray("data")).hasSize(1);
  }

  @Test
  void concurrentRequestsWithOneKeyCreateOneObjectAndAllGetItsAnswer() throws Exception {
    twilio.slowPurchases(400);
    String idem = newKey();
    List<Api.Response> answers = concurrently(8,
        () -> post("/v1/numbers", key, new JsonObject(), idem));

    assertThat(answers).extracting(Api.Response::status).containsOnly(200);
    assertThat(answers).extracting(a -> a.json().getString("id")).containsOnly(
        answers.get(0).json().getString("id"));
    assertThat(answers).filteredOn(a -> a.header(IdempotencyKeys.REPLAYED) == null).hasSize(1);
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).hasSize(1);
    assertThat(count("SELECT count(*) AS n FROM phone_numbers WHERE account_id = ? "
        + "AND status = 'active'")).isEqualTo(2);
  }

  @Test
  void aRetryWhileTheFirstIsStillRunningPastTheWaitIs409() throws Exception {
    twilio.slowPurchases(4000);
    String idem = newKey();
    CompletableFuture<Api.Response> slow = CompletableFuture.supplyAsync(
        () -> post("/v1/numbers", key, new JsonObject(), idem), clients);
    awaitRunning(idem);
    Api.Response early = post("/v1/numbers", key, new JsonObject(), idem);
    assertThat(early.status()).as(early.body()).isEqualTo(409);
    assertThat((String) early.detail()).contains("still in progress");
    assertThat(early.header("Retry-After")).isEqualTo("1");

    Api.Response first = slow.get(30, TimeUnit.SECONDS);
    assertThat(first.status()).isEqualTo(200);
    Api.Response later = post("/v1/numbers", key, new JsonObject(), idem);
    assertThat(later.body()).isEqualTo(first.body());
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).hasSize(1);
  }

  @Test
  void keysBelongToTheAccountTheRequestActsFor() {
    String idem = newKey();
    String otherKey = server.newKey();
    JsonObject ada = new JsonObject().put("name", "Ada").put("phoneNumber", "+14155550102");
    Api.Response mine = post("/v1/contacts", key, ada, idem);
    Api.Response theirs = post("/v1/contacts", otherKey, ada, idem);
    assertThat(mine.status()).isEqualTo(201);
    assertThat(theirs.status()).isEqualTo(201);
    assertThat(theirs.header(IdempotencyKeys.REPLAYED)).isNull();
    assertThat(theirs.json().getString("id")).isNotEqualTo(mine.json().getString("id"));

    // a sub-account is an account of its own, even under its parent's API key
    String sub = api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Branch"))
        .json().getString("id");
    Api.Response asSub = api.send("POST", "/v1/contacts", key, ada.encode(), "application/json",
        IdempotencyKeys.HEADER, idem, "X-Sub-Account-Id", sub);
    assertThat(asSub.status()).as(asSub.body()).isEqualTo(201);
    assertThat(asSub.header(IdempotencyKeys.REPLAYED)).isNull();
    assertThat(asSub.json().getString("id")).isNotEqualTo(mine.json().getString("id"));
  }

  @Test
  void anExpiredKeyIsANewKeyAndThePurgeDeletesIt() {
    String idem = newKey();
    JsonObject first = post("/v1/agents", key, new JsonObject().put("name", "One"), idem).json();
    server.sql("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' "
        + "WHERE idem_key = ?", idem);
    Api.Response reused = post("/v1/agents", key, new JsonObject().put("name", "Two"), idem);
    assertThat(reused.status()).as(reused.body()).isEqualTo(200);
    assertThat(reused.header(IdempotencyKeys.REPLAYED)).isNull();
    assertThat(reused.json().getString("id")).isNotEqualTo(first.getString("id"));

    server.sql("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' "
        + "WHERE idem_key = ?", idem);
    long until = System.currentTimeMillis() + 15_000;
    while (keyRows(idem) > 0 && System.currentTimeMillis() < until) {
      sleep(100);
    }
    assertThat(keyRows(idem)).as("purged").isZero();
  }

  @Test
  void aServerErrorGivesTheKeyBackAndAClientErrorIsKept() {
    String idem = newKey();
    // Twilio failing is the engine's 502
    twilio.failNext("GET /AvailablePhoneNumbers/{country}/Local.json", 401, 20003, "Authenticate");
    Api.Response failed = post("/v1/numbers", key, new JsonObject(), idem);
    assertThat(failed.status()).as(failed.body()).isEqualTo(502);
    assertThat(keyRows(idem)).isZero();
    Api.Response retried = post("/v1/numbers", key, new JsonObject(), idem);
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    assertThat(retried.header(IdempotencyKeys.REPLAYED)).isNull();

    String refusedKey = newKey();
    twilio.failNext("POST /IncomingPhoneNumbers.json", 400, 21422, "PhoneNumber is not available");
    Api.Response refused = post("/v1/numbers", key, new JsonObject(), refusedKey);
    assertThat(refused.status()).isEqualTo(400);
    Api.Response again = post("/v1/numbers", key, new JsonObject(), refusedKey);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.body()).isEqualTo(refused.body());
    assertThat(again.header(IdempotencyKeys.REPLAYED)).isEqualTo("true");
    assertThat(twilio.calls(HttpMethod.POST, "/IncomingPhoneNumbers.json")).hasSize(2);
  }

  @Test
  void aClaimWhoseNodeStoppedRenewingItIsTakenOverOnceItsLeaseLapses() {
    String idem = newKey();
    JsonObject body = new JsonObject().put("name", "Lease");
    String firstId = post("/v1/agents", key, body, idem).json().getString("id");
    // as if the node running it had died mid-request, its lease still current
    server.sql("UPDATE idempotency_keys SET status = NULL, headers = NULL, body = NULL, "
        + "lease_until = now() + interval '1 minute' WHERE idem_key = ?", idem);
    assertThat(post("/v1/agents", key, body, idem).status()).isEqualTo(409);

    server.sql("UPDATE idempotency_keys SET lease_until = now() - interval '1 second' "
        + "WHERE idem_key = ?", idem);
    Api.Response takenOver = post("/v1/agents", key, body, idem);
    assertThat(takenOver.status()).isEqualTo(200);
    assertThat(takenOver.header(IdempotencyKeys.REPLAYED)).isNull();
    assertThat(takenOver.json().getString("id")).isNotEqualTo(firstId);
    assertThat(post("/v1/agents", key, body, idem).header(IdempotencyKeys.REPLAYED))
        .isEqualTo("true");
  }

  @Test
  void aKeyThatIsNotOneIs422BeforeAnythingRuns() {
    Api.Response tooLong = post("/v1/agents", key, new JsonObject().put("name", "X"),
        "k".repeat(256));
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(((JsonArray) tooLong.detail()).getJsonObject(0).getString("msg"))
        .contains("1 to 255");
    assertThat(post("/v1/agents", key, new JsonObject().put("name", "X"), "k".repeat(255))
        .status()).isEqualTo(200);

    RawHttp.Response nonAscii = new RawHttp(server.port).send("POST", "/v1/agents", key,
        "{\"name\":\"Y\"}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
        IdempotencyKeys.HEADER, "cl\u00e9");
    assertThat(nonAscii.status()).isEqualTo(422);
    assertThat(nonAscii.body()).contains("printable ASCII");
    assertThat(api.get("/v1/agents", key).json().getJsonArray("data")).hasSize(2);
  }

  @Test
  void aCallerWhoLeftAWaitingCallPlacementGetsThatCallOnRetryNotASecondCall() throws Exception {
    String idem = newKey();
    byte[] body = new JsonObject().put("agentId", account.getString("agent_id"))
        .put("toNumber", "+14155550123").put("waitForCompletion", true)
        .put("maxWaitSeconds", 60).encode().getBytes(StandardCharsets.UTF_8);
    try (java.net.Socket socket = new java.net.Socket("localhost", server.port)) {
      String head = "POST /v1/calls HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\n" + IdempotencyKeys.HEADER + ": " + idem
          + "\r\nContent-Length: " + body.length + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      long until = System.currentTimeMillis() + 10_000;
      while (count("SELECT count(*) AS n FROM calls WHERE account_id = ?") == 0
          && System.currentTimeMillis() < until) {
        sleep(20);
      }
      sleep(300); // the call is placed and the request is waiting for its end
    } // the client gives up
    Api.Response retry = post("/v1/calls", key, new String(body, StandardCharsets.UTF_8), idem);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.header(IdempotencyKeys.REPLAYED)).isEqualTo("true");
    assertThat(count("SELECT count(*) AS n FROM calls WHERE account_id = ?")).isEqualTo(1);
    assertThat(retry.json().getString("id")).isEqualTo(
        server.sql("SELECT id FROM calls WHERE account_id = ?", account.getString("account_id"))
            .get(0).get("id"));
  }

  private long keyRows(String idem) {
    return (Long) server.sql("SELECT count(*) AS n FROM idempotency_keys WHERE idem_key = ?",
        idem).get(0).get("n");
  }

  private void awaitRunning(String idem) {
    long until = System.currentTimeMillis() + 10_000;
    while (keyRows(idem) == 0 && System.currentTimeMillis() < until) {
      sleep(20);
    }
  }

  static List<Api.Response> concurrently(int n, java.util.function.Supplier<Api.Response> call)
      throws Exception {
    List<CompletableFuture<Api.Response>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(CompletableFuture.supplyAsync(call, clients));
    }
    List<Api.Response> answers = new ArrayList<>();
    for (CompletableFuture<Api.Response> one : pending) {
      answers.add(one.get(60, TimeUnit.SECONDS));
    }
    return answers;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

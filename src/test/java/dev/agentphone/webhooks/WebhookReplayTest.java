package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replaying settled deliveries, one at a time and in bulk, to a real receiver: the same
 * {@code X-Webhook-ID} and body, signed anew, as further attempts of the same delivery.
 */
class WebhookReplayTest {
  static TestEngine server;
  static Api api;
  static Receiver receiver;
  static final AtomicInteger PATHS = new AtomicInteger();

  @BeforeAll
  static void start() {
    // one attempt per round, so a refused delivery is failed (a dead letter) at once
    server = TestEngine.builder().config(Map.of(
        "webhooks.maxAttempts", 1,
        "webhooks.pollIntervalMs", 200,
        "webhooks.replayPerSecond", 2)).start();
    api = server.api;
    receiver = new Receiver();
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
  }

  record Account(String key, String accountId, String agentId, String path, String secret) {
  }

  static Account account() {
    JsonObject owner = server.signUp("replay-" + System.nanoTime() + "@example.com");
    String path = "/replay-" + PATHS.incrementAndGet();
    JsonObject webhook = api.post("/v1/webhooks", owner.getString("api_key"),
        new JsonObject().put("url", receiver.url(path))).json();
    return new Account(owner.getString("api_key"), owner.getString("account_id"),
        owner.getString("agent_id"), path, webhook.getString("secret"));
  }

  /** Records an event while the receiver refuses the path; answers the failed delivery's id. */
  static String deadLetter(Account account, String type, String text) {
    String eventId = Fixtures.recordEvent(server, account.accountId(), account.agentId(), type,
        "sms", null, Fixtures.smsData(text));
    return (String) Fixtures.awaitRow(server, row -> "failed".equals(row.get("status")),
        "SELECT id, status FROM webhook_deliveries WHERE event_id = ?", eventId).get("id");
  }

  static void refuse(String path) {
    receiver.respond(hit -> hit.path().equals(path) ? Receiver.Reply.status(500)
        : Receiver.Reply.ok());
  }

  static String iso(OffsetDateTime time) {
    return time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }

  @Test
  void aReplayedDeliveryArrivesWithItsIdAndBodyFreshlySignedAsItsNextAttempt() {
    Account account = account();
    refuse(account.path());
    String deliveryId = deadLetter(account, "agent.message", "first try");
    Receiver.Hit first = receiver.awaitPath(1, account.path()).get(0);
    assertThat(first.id()).isEqualTo(deliveryId);

    // the dead-letter view lists it; the success view does not
    JsonArray failed = api.get("/v1/webhooks/deliveries?status=failed", account.key()).json()
        .getJsonArray("items");
    assertThat(failed.stream().map(d -> ((JsonObject) d).getString("id"))).containsExactly(deliveryId);
    assertThat(api.get("/v1/webhooks/deliveries?status=success", account.key()).json()
        .getJsonArray("items")).isEmpty();
    assertThat(api.get("/v1/webhooks/deliveries?status=lost", account.key()).status()).isEqualTo(422);

    // a new second, so the new signature's timestamp is a new one
    long firstSecond = Long.parseLong(first.header("X-Webhook-Timestamp"));
    while (System.currentTimeMillis() / 1000 <= firstSecond) {
      Receiver.sleep(20);
    }
    receiver.respond(hit -> Receiver.Reply.ok());
    Api.Response replay = api.post("/v1/webhooks/deliveries/" + deliveryId + "/replay",
        account.key(), null);
    assertThat(replay.status()).as(replay.body()).isEqualTo(202);
    assertThat(replay.json().getString("id")).isEqualTo(deliveryId);
    assertThat(replay.json().getString("status")).isEqualTo("pending");

    List<Receiver.Hit> hits = receiver.awaitPath(2, account.path());
    Receiver.Hit again = hits.get(1);
    assertThat(again.id()).isEqualTo(deliveryId);
    assertThat(again.header("webhook-id")).isEqualTo(deliveryId);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.header("X-Webhook-Timestamp")).isNotEqualTo(first.header("X-Webhook-Timestamp"));
    assertThat(again.header("X-Webhook-Signature")).isNotEqualTo(first.header("X-Webhook-Signature"));
    Fixtures.assertSigned(again, account.secret());

    Map<String, Object> row = Fixtures.awaitRow(server, r -> "success".equals(r.get("status")),
        "SELECT status, attempt_count FROM webhook_deliveries WHERE id = ?", deliveryId);
    assertThat(row.get("attempt_count")).isEqualTo(2);
    JsonObject logged = api.get("/v1/webhooks/deliveries", account.key()).json()
        .getJsonArray("items").getJsonObject(0);
    assertThat(logged.getString("id")).isEqualTo(deliveryId);
    assertThat(logged.getString("status")).isEqualTo("success");
    assertThat(logged.getInteger("attemptCount")).isEqualTo(2);
    assertThat(logged.getInteger("httpStatus")).isEqualTo(200);
    assertThat(server.sql("SELECT attempt, http_status FROM webhook_attempts WHERE delivery_id = ? "
        + "ORDER BY attempt", deliveryId)).containsExactly(
            Map.of("attempt", 1, "http_status", 500), Map.of("attempt", 2, "http_status", 200));
  }

  @Test
  void aDeliveryStillBeingSentIsNotReplayedAndAnotherAccountsIsNotFound() {
    Account account = account();
    Account stranger = account();
    refuse(account.path());
    String deliveryId = deadLetter(account, "agent.message", "slow");

    assertThat(api.post("/v1/webhooks/deliveries/" + deliveryId + "/replay", stranger.key(), null)
        .status()).isEqualTo(404);
    assertThat(api.post("/v1/webhooks/deliveries/whd_nosuchthing/replay", account.key(), null)
        .status()).isEqualTo(404);
    // through the agent's routes only the agent's own webhook's deliveries are replayed
    assertThat(api.post("/v1/agents/" + account.agentId() + "/webhook/deliveries/" + deliveryId
        + "/replay", account.key(), null).status()).isEqualTo(404);

    receiver.respond(hit -> new Receiver.Reply(200, Map.of(), "ok", 1500));
    assertThat(api.post("/v1/webhooks/deliveries/" + deliveryId + "/replay", account.key(), null)
        .status()).isEqualTo(202);
    Api.Response twice = api.post("/v1/webhooks/deliveries/" + deliveryId + "/replay",
        account.key(), null);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().getString("detail")).contains(deliveryId).contains("pending");
    Fixtures.awaitRow(server, r -> "success".equals(r.get("status")),
        "SELECT status FROM webhook_deliveries WHERE id = ?", deliveryId);
    assertThat(receiver.onPath(account.path())).hasSize(2);
  }

  @Test
  void anAgentsOwnWebhookDeliveryIsReplayedThroughTheAgentsRoutes() {
    Account account = account();
    String agentPath = account.path() + "-agent";
    JsonObject hook = api.post("/v1/agents/" + account.agentId() + "/webhook", account.key(),
        new JsonObject().put("url", receiver.url(agentPath))).json();
    refuse(agentPath);
    String deliveryId = deadLetter(account, "agent.message", "to the agent");
    JsonArray deadLetters = api.get("/v1/agents/" + account.agentId()
        + "/webhook/deliveries?status=failed", account.key()).json().getJsonArray("items");
    assertThat(deadLetters.getJsonObject(0).getString("id")).isEqualTo(deliveryId);
    assertThat(api.get("/v1/agents/" + account.agentId() + "/webhook/deliveries?status=pending",
        account.key()).json().getJsonArray("items")).isEmpty();

    receiver.respond(hit -> Receiver.Reply.ok());
    assertThat(api.post("/v1/agents/" + account.agentId() + "/webhook/deliveries/" + deliveryId
        + "/replay", account.key(), null).status()).isEqualTo(202);
    Receiver.Hit again = receiver.awaitPath(2, agentPath).get(1);
    assertThat(again.id()).isEqualTo(deliveryId);
    Fixtures.assertSigned(again, hook.getString("secret"));
  }

  @Test
  void aBulkReplaySendsTheSelectedDeadLettersAtItsPaceWithProgressToRead() {
    Account account = account();
    refuse(account.path());
    OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      messages.add(deadLetter(account, "agent.message", "lost " + i));
    }
    String reaction = deadLetter(account, "agent.reaction", "not selected");
    OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5);
    int before = receiver.onPath(account.path()).size();
    receiver.respond(hit -> Receiver.Reply.ok());

    Api.Response started = api.post("/v1/webhooks/deliveries/replay", account.key(),
        new JsonObject().put("status", "failed").put("since", iso(since)).put("until", iso(until))
            .put("eventType", "agent.message"));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    assertThat(started.json().getInteger("count")).isEqualTo(6);
    String jobId = started.json().getString("jobId");

    // at two a second the job is seen part-way: progress rises from 0 to 6 in steps
    TreeSet<Integer> seen = new TreeSet<>();
    JsonObject job;
    long deadline = System.nanoTime() + 30_000_000_000L;
    do {
      job = api.get("/v1/webhooks/replays/" + jobId, account.key()).json();
      seen.add(job.getInteger("replayed"));
      Receiver.sleep(25);
    } while (!"completed".equals(job.getString("status")) && System.nanoTime() < deadline);
    assertThat(job.getString("status")).isEqualTo("completed");
    assertThat(job.getInteger("total")).isEqualTo(6);
    assertThat(job.getInteger("replayed")).isEqualTo(6);
    assertThat(job.getString("finishedAt")).isNotNull();
    assertThat(job.getString("createdAt")).isNotNull();
    assertThat(seen).as("progress values read while the job ran").anyMatch(n -> n > 0 && n < 6);

    List<Receiver.Hit> replayed = receiver.await(before + 6, h -> h.path().equals(account.path()))
        .subList(before, before + 6);
    assertThat(replayed.stream().map(Receiver.Hit::id)).containsExactlyInAnyOrderElementsOf(messages);
    replayed.forEach(hit -> Fixtures.assertSigned(hit, account.secret()));
    Fixtures.awaitRow(server, r -> ((Long) r.get("n")) == 6, "SELECT count(*) AS n FROM "
        + "webhook_deliveries WHERE account_id = ? AND status = 'success'", account.accountId());
    JsonObject settled = api.get("/v1/webhooks/replays/" + jobId, account.key()).json();
    assertThat(settled.getLong("succeeded")).isEqualTo(6);
    assertThat(settled.getLong("failed")).isZero();
    assertThat(server.sql("SELECT status FROM webhook_deliveries WHERE id = ?", reaction).get(0)
        .get("status")).isEqualTo("failed");
  }

  @Test
  void bulkReplaySelectionsAreValidatedAndJobsAreTheAccountsOwn() {
    Account account = account();
    Account stranger = account();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    String path = "/v1/webhooks/deliveries/replay";
    JsonObject good = new JsonObject().put("status", "failed").put("since", iso(now.minusDays(1)))
        .put("until", iso(now));
    assertThat(api.post(path, account.key(), good.copy().put("status", "pending")).status())
        .isEqualTo(422);
    assertThat(api.post(path, account.key(), good.copy().put("since", "yesterday")).status())
        .isEqualTo(422);
    JsonObject noUntil = good.copy();
    noUntil.remove("until");
    assertThat(api.post(path, account.key(), noUntil).status()).isEqualTo(422);
    Api.Response backwards = api.post(path, account.key(), good.copy()
        .put("since", iso(now)).put("until", iso(now.minusHours(1))));
    assertThat(backwards.status()).isEqualTo(422);
    assertThat(backwards.body()).contains("until must be later than since");
    Api.Response wide = api.post(path, account.key(), good.copy()
        .put("since", iso(now.minusDays(40))));
    assertThat(wide.status()).isEqualTo(422);
    assertThat(wide.body()).contains("31 days");

    Api.Response empty = api.post(path, account.key(), good);
    assertThat(empty.status()).isEqualTo(202);
    assertThat(empty.json().getInteger("count")).isZero();
    String jobId = empty.json().getString("jobId");
    JsonObject job = api.get("/v1/webhooks/replays/" + jobId, account.key()).json();
    assertThat(job.getString("status")).isEqualTo("completed");
    assertThat(api.get("/v1/webhooks/replays/" + jobId, stranger.key()).status()).isEqualTo(404);
    // an account-wide job is not one of the agent's
    assertThat(api.get("/v1/agents/" + account.agentId() + "/webhook/replays/" + jobId,
        account.key()).status()).isEqualTo(404);
    assertThat(api.post("/v1/agents/" + account.agentId() + "/webhook/deliveries/replay",
        stranger.key(), good).status()).isEqualTo(404);
    Api.Response agentJob = api.post("/v1/agents/" + account.agentId()
        + "/webhook/deliveries/replay", account.key(), good);
    assertThat(agentJob.status()).isEqualTo(202);
    assertThat(api.get("/v1/agents/" + account.agentId() + "/webhook/replays/"
        + agentJob.json().getString("jobId"), account.key()).status()).isEqualTo(200);
  }
}

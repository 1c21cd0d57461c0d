package dev.agentphone.webhooks;

import dev.agentphone.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A customer's server answers bytes the delivery log cannot store as they are (NUL, invalid
 * UTF-8): the attempt is still recorded, the body kept with U+FFFD in place, and the delivery is
 * settled instead of being sent again each time its lease runs out.
 */
class WebhookResponseBodyTest {
  static final int LEASE_MARGIN_MS = 200;
  static TestEngine server;
  static Vertx vertx;
  static HttpServer customer;
  /** path → status and raw body bytes to answer with. */
  static final Map<String, Object[]> ANSWERS = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
  static final AtomicInteger PATHS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server = TestEngine.builder().config(Map.of(
        "webhooks.retry.initialDelayMs", 30,
        "webhooks.retry.multiplier", 1,
        "webhooks.maxAttempts", 3,
        "webhooks.pollIntervalMs", 100,
        "webhooks.leaseMarginMs", LEASE_MARGIN_MS)).start();
    vertx = Vertx.vertx();
    customer = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(b -> {
      HITS.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
      Object[] answer = ANSWERS.get(request.path());
      request.response().setStatusCode((Integer) answer[0]).end(Buffer.buffer((byte[]) answer[1]));
    }));
    customer.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    server.close();
    vertx.close();
  }

  record Sent(String eventId, String path, String key) {
    int hits() {
      return HITS.get(path).get();
    }
  }

  /**
   * A new account whose webhook (5 s timeout, the shortest lease) answers {@code body}, and one
   * event recorded for it.
   */
  static Sent accountAnswering(int status, byte[] body) {
    JsonObject owner = server.signUp("body-" + System.nanoTime() + "@example.com");
    String path = "/answer-" + PATHS.incrementAndGet();
    ANSWERS.put(path, new Object[] {status, body});
    String url = "http://127.0.0.1:" + customer.actualPort() + path;
    assertThat(server.api.post("/v1/webhooks", owner.getString("api_key"),
        new JsonObject().put("url", url).put("timeout", 5)).status()).isEqualTo(200);
    String eventId = Fixtures.recordEvent(server, owner.getString("account_id"),
        owner.getString("agent_id"), "agent.message", "sms", null, Fixtures.smsData("hi"));
    return new Sent(eventId, path, owner.getString("api_key"));
  }

  static byte[] bytes(String text, int... extra) {
    byte[] head = text.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + extra.length];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = 0; i < extra.length; i++) {
      out[head.length + i] = (byte) extra[i];
    }
    return out;
  }

  static Map<String, Object> settled(String eventId) {
    return Fixtures.awaitRow(server, row -> !"pending".equals(row.get("status")),
        "SELECT * FROM webhook_deliveries WHERE event_id = ?", eventId);
  }

  static List<Map<String, Object>> attempts(Object deliveryId) {
    return server.sql("SELECT attempt, http_status, error_message, response_body "
        + "FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt", deliveryId);
  }

  @Test
  void aSuccessAnsweredWithNulAndInvalidUtf8IsRecordedOnceAndNeverSentAgain() {
    Sent sent = accountAnswering(200, bytes("ok\u0000done", 0xff, 'x'));
    Map<String, Object> delivery = settled(sent.eventId());
    assertThat(delivery.get("status")).isEqualTo("success");
    assertThat(delivery.get("attempt_count")).isEqualTo(1);
    assertThat(delivery.get("response_body")).isEqualTo("ok\uFFFDdone\uFFFDx");
    assertThat(attempts(delivery.get("id"))).singleElement()
        .satisfies(a -> assertThat(a.get("response_body")).isEqualTo("ok\uFFFDdone\uFFFDx"));

    // past the lease (5 s timeout + margin) nothing is sent again
    Receiver.sleep(5_000 + LEASE_MARGIN_MS + 1_000);
    assertThat(sent.hits()).isEqualTo(1);
    assertThat(server.api.get("/v1/webhooks/deliveries", sent.key()).json()
        .getJsonArray("items").getJsonObject(0).getString("responseBody"))
        .isEqualTo("ok\uFFFDdone\uFFFDx");
  }

  @Test
  void aServerErrorAnsweredWithNulIsRetriedToTheLimitAndThenFailed() {
    Sent sent = accountAnswering(500, bytes("broken\u0000"));
    Map<String, Object> delivery = settled(sent.eventId());
    assertThat(delivery.get("status")).isEqualTo("failed");
    assertThat(delivery.get("attempt_count")).isEqualTo(3);
    List<Map<String, Object>> attempts = attempts(delivery.get("id"));
    assertThat(attempts).extracting(a -> a.get("attempt")).containsExactly(1, 2, 3);
    assertThat(attempts).allSatisfy(a -> {
      assertThat(a.get("http_status")).isEqualTo(500);
      assertThat(a.get("response_body")).isEqualTo("broken\uFFFD");
    });
    assertThat(sent.hits()).isEqualTo(3);
  }

  @Test
  void anAttemptWhoseDetailsTheDatabaseRefusesIsStillRecordedAsItsOutcome() {
    // any reason the attempt row cannot be written, here a constraint the log must live with
    server.sql("ALTER TABLE webhook_attempts ADD CONSTRAINT refuses_marker "
        + "CHECK (response_body IS NULL OR response_body NOT LIKE '%refused-by-the-log%')");
    try {
      Sent ok = accountAnswering(200, bytes("refused-by-the-log"));
      Map<String, Object> delivery = settled(ok.eventId());
      assertThat(delivery.get("status")).isEqualTo("success");
      assertThat(delivery.get("attempt_count")).isEqualTo(1);
      assertThat(delivery.get("http_status")).isEqualTo(200);
      assertThat(delivery.get("response_body")).isNull();
      assertThat(attempts(delivery.get("id"))).hasSize(1);

      Sent failing = accountAnswering(503, bytes("refused-by-the-log"));
      Map<String, Object> failed = settled(failing.eventId());
      assertThat(failed.get("status")).isEqualTo("failed");
      assertThat(failed.get("attempt_count")).isEqualTo(3);
      assertThat(failed.get("error_message")).isEqualTo(DeliverySender.DETAILS_NOT_STORED);
      assertThat(failing.hits()).isEqualTo(3);
    } finally {
      server.sql("ALTER TABLE webhook_attempts DROP CONSTRAINT refuses_marker");
    }
  }
}

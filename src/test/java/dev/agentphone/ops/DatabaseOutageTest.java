package dev.agentphone.ops;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TcpProxy;
import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away under a running engine (a proxy between them drops every connection
 * and refuses new ones) and comes back: meanwhile API requests answer 503 with Retry-After and
 * {@code /health} names the database; afterwards everything works again without a restart and
 * what was accepted before, a message and its pending webhook, is intact and delivered.
 */
class DatabaseOutageTest {
  private static final Pattern PORT = Pattern.compile("@[^:/]+:(\\d+)/");

  @Test
  void anOutageAnswers503AndLosesNothingOnceTheDatabaseIsBack() {
    String direct = TestDatabase.fresh();
    Matcher port = PORT.matcher(direct);
    assertThat(port.find()).isTrue();
    try (TcpProxy proxy = new TcpProxy(Integer.parseInt(port.group(1)));
         CustomerWebhook customer = new CustomerWebhook();
         TestEngine engine = TestEngine.builder().database(proxy.inFront(direct)).config(Map.of(
             "webhooks.maxAttempts", 100,
             "webhooks.retry.initialDelayMs", 200,
             "webhooks.retry.multiplier", 1,
             "webhooks.retry.jitter", 0,
             // the first attempt's answer may come as the database goes: its record is then
             // lost, and the delivery goes again once its lease has run out (the webhook's
             // timeout, 5 s below, plus this margin, 30 s by default: longer than this waits)
             "webhooks.leaseMarginMs", 1_000)).start()) {
      Api api = engine.api;
      JsonObject owner = engine.signUp("outage-" + System.nanoTime() + "@example.com");
      String key = owner.getString("api_key");
      String accountId = owner.getString("account_id");
      assertThat(api.post("/v1/webhooks", key, new JsonObject().put("url", customer.url())
          .put("timeout", 5)).status()).isEqualTo(200);

      // accepted before the outage; its webhook is refused for now, so it waits in the outbox
      customer.answer(r -> r.request().response().setStatusCode(500).end());
      Api.Response before = text(api, owner, "before the outage");
      assertThat(before.status()).as(before.body()).isEqualTo(200);
      String beforeId = before.json().getJsonObject("message").getString("id");
      await(() -> delivered(customer, beforeId) > 0);

      proxy.cut();
      Api.Response health = api.get("/health", null);
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().getString("database")).isEqualTo("down");
      assertThat(health.json().getString("detail")).contains("database");
      assertThat(health.header("Retry-After")).isNotBlank();
      for (Api.Response refused : List.of(
          api.get("/v1/agents", key),
          api.post("/v1/agents", key, new JsonObject().put("name", "During")),
          api.get("/v1/conversations", key),
          // a key this node has not seen yet cannot be checked: unavailable, not unauthorized
          api.get("/v1/agents", "sk_live_never_seen_" + System.nanoTime()),
          api.post("/v0/agent/sign-up", null, new JsonObject()
              .put("human_email", "during-" + System.nanoTime() + "@example.com")),
          text(api, owner, "during the outage"))) {
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        assertThat(refused.json().getString("detail")).contains("database");
      }
      customer.answer(r -> r.request().response().setStatusCode(200).end("ok"));

      proxy.restore();
      await(() -> api.get("/health", null).status() == 200);
      assertThat(api.get("/health", null).json().getString("database")).isEqualTo("up");
      assertThat(api.get("/v1/agents", key).status()).isEqualTo(200);
      assertThat(api.post("/v1/agents", key, new JsonObject().put("name", "After")).status())
          .isEqualTo(200);
      Api.Response after = text(api, owner, "after the outage");
      assertThat(after.status()).as(after.body()).isEqualTo(200);
      String afterId = after.json().getJsonObject("message").getString("id");

      // both messages kept, both webhooks delivered; nothing from the refused requests exists
      await(() -> succeeded(customer, beforeId) && succeeded(customer, afterId));
      List<Map<String, Object>> bodies = TestDatabase.sql(direct,
          "SELECT body FROM messages WHERE account_id = ? ORDER BY created_at", accountId);
      assertThat(bodies).extracting(row -> row.get("body"))
          .containsExactly("before the outage", "after the outage");
      assertThat(TestDatabase.sql(direct, "SELECT name FROM agents WHERE account_id = ? "
          + "AND name = 'During'", accountId)).isEmpty();
      assertThat(TestDatabase.sql(direct, "SELECT status FROM webhook_deliveries "
          + "WHERE account_id = ? AND message_id = ?", accountId, beforeId))
          .extracting(row -> row.get("status")).containsExactly("success");
    }
  }

  @Test
  void aConnectionLostMidQueryAndADatabaseThatHangsAnswer503() throws Exception {
    String direct = TestDatabase.fresh();
    Matcher port = PORT.matcher(direct);
    assertThat(port.find()).isTrue();
    try (TcpProxy proxy = new TcpProxy(Integer.parseInt(port.group(1)));
         TestEngine engine = TestEngine.builder().database(proxy.inFront(direct))
             .config("database.poolWaitMillis", 1_000).start()) {
      Api api = engine.api;
      String key = engine.newKey();
      assertThat(api.get("/v1/agents", key).status()).isEqualTo(200);

      // a query in flight (waiting on a lock) when its connection is lost
      CompletableFuture<Api.Response> inFlight;
      try (Connection lock = DriverManager.getConnection(
          "jdbc:" + direct.replace("postgres:postgres@", ""), "postgres", "postgres")) {
        lock.setAutoCommit(false);
        lock.createStatement().execute("LOCK TABLE agents IN ACCESS EXCLUSIVE MODE");
        inFlight = CompletableFuture.supplyAsync(() -> api.get("/v1/agents", key));
        await(() -> !TestDatabase.sql(direct, "SELECT 1 FROM pg_stat_activity "
            + "WHERE wait_event_type = 'Lock' AND query LIKE '%FROM agents%'").isEmpty());
        // the database now hangs: connections open but nothing answers
        proxy.stall();
        Api.Response lost = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(lost.status()).as(lost.body()).isEqualTo(503);
        assertThat(lost.header("Retry-After")).isNotBlank();
        lock.rollback();
      }

      // no connection can be had: the pool gives up waiting, well before the bus would
      long started = System.nanoTime();
      Api.Response waited = api.get("/v1/agents", key);
      assertThat(waited.status()).as(waited.body()).isEqualTo(503);
      assertThat(waited.json().getString("detail")).contains("database");
      assertThat(waited.header("Retry-After")).isNotBlank();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(25);
      Api.Response health = api.get("/health", null);
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().getString("database")).isEqualTo("down");

      proxy.restore();
      await(() -> api.get("/health", null).status() == 200);
      assertThat(api.get("/v1/agents", key).status()).isEqualTo(200);
    }
  }

  private static Api.Response text(Api api, JsonObject owner, String body) {
    return api.post("/sandbox/sms", owner.getString("api_key"), new JsonObject()
        .put("from", "+14155550177").put("to", owner.getString("phone_number")).put("body", body));
  }

  private static long delivered(CustomerWebhook customer, String messageId) {
    return customer.received.stream().filter(r -> r.body() != null
        && messageId.equals(r.body().getJsonObject("data").getString("messageId"))).count();
  }

  /** The customer answered 200 to a delivery of this message. */
  private static boolean succeeded(CustomerWebhook customer, String messageId) {
    return customer.received.stream().anyMatch(r -> r.body() != null
        && messageId.equals(r.body().getJsonObject("data").getString("messageId"))
        && r.request().response().getStatusCode() == 200);
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not reached in 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}

package dev.agentphone.usage;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook counters follow statements that touch many deliveries at once, as the dispatcher
 * writes them (a planned batch in one INSERT, a batch of attempts in one UPDATE): after each,
 * the usage figures equal what the delivery log itself holds.
 */
class WebhookUsageCountersTest {
  static TestEngine engine;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void countersMatchTheLogAfterBatchedInsertsUpdatesAndDeletes() {
    Seed one = Seed.signUp(engine, "hooks-one");
    Seed two = Seed.signUp(engine, "hooks-two");
    OffsetDateTime today = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    String yesterday = Seed.ts(today.minusDays(1));
    // one statement: both accounts, two days, every status
    engine.sql("INSERT INTO webhook_deliveries (id, account_id, webhook_id, agent_webhook, "
        + "event_id, event_type, body, status, created_at) "
        + "SELECT 'whd_cnt_' || a.n || '_' || g, a.id, 'wh_seed', false, "
        + "'evt_cnt_' || a.n || '_' || g, 'agent.message', '\\x7b7d'::bytea, "
        + "(ARRAY['pending', 'success', 'failed'])[g % 3 + 1], "
        + "CASE WHEN g % 2 = 0 THEN now() ELSE " + yesterday + " END "
        + "FROM (VALUES (1, ?), (2, ?)) a (n, id), generate_series(1, 30) g",
        one.accountId, two.accountId);
    assertMatchesLog(one, two);

    // a batch of attempts: some settle, some retry (pending to pending), some fail
    engine.sql("UPDATE webhook_deliveries SET status = CASE WHEN id LIKE '%0' THEN 'failed' "
        + "WHEN id LIKE '%1' THEN 'pending' ELSE 'success' END, attempt_count = attempt_count + 1 "
        + "WHERE status = 'pending' AND account_id IN (?, ?)", one.accountId, two.accountId);
    assertMatchesLog(one, two);

    // a replay puts settled deliveries back to pending; a lease touches no count
    engine.sql("UPDATE webhook_deliveries SET status = 'pending' WHERE account_id = ? "
        + "AND status IN ('success', 'failed') AND id LIKE '%2'", one.accountId);
    engine.sql("UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 minute' "
        + "WHERE account_id IN (?, ?)", one.accountId, two.accountId);
    assertMatchesLog(one, two);

    // a delivery moved to another day moves its count
    engine.sql("UPDATE webhook_deliveries SET created_at = created_at - interval '3 days' "
        + "WHERE account_id = ? AND id LIKE '%5'", two.accountId);
    assertMatchesLog(one, two);

    engine.sql("DELETE FROM webhook_deliveries WHERE account_id IN (?, ?) AND id LIKE '%3'",
        one.accountId, two.accountId);
    assertMatchesLog(one, two);
  }

  private static void assertMatchesLog(Seed... accounts) {
    for (Seed account : accounts) {
      Map<String, Object> log = engine.sql("SELECT count(*) AS total, "
          + "count(*) FILTER (WHERE status = 'success') AS success, "
          + "count(*) FILTER (WHERE status = 'failed') AS failed "
          + "FROM webhook_deliveries WHERE account_id = ?", account.accountId).get(0);
      Api.Response response = engine.api.get("/v1/usage", account.key);
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      JsonObject stats = response.json().getJsonObject("stats");
      assertThat(stats.getLong("totalWebhookDeliveries"))
          .isEqualTo(((Number) log.get("total")).longValue());
      assertThat(stats.getLong("successfulWebhookDeliveries"))
          .isEqualTo(((Number) log.get("success")).longValue());
      assertThat(stats.getLong("failedWebhookDeliveries"))
          .isEqualTo(((Number) log.get("failed")).longValue());
      List<Map<String, Object>> byDay = engine.sql("SELECT d.day::text AS day, d.n, "
          + "coalesce(u.webhooks, 0) AS counted FROM (SELECT (created_at AT TIME ZONE 'UTC')::date "
          + "AS day, count(*) AS n FROM webhook_deliveries WHERE account_id = ? GROUP BY 1) d "
          + "LEFT JOIN usage_daily u ON u.account_id = ? AND u.day = d.day "
          + "AND u.phone_number_id = '' AND u.agent_id = ''", account.accountId,
          account.accountId);
      assertThat(byDay).isNotEmpty();
      for (Map<String, Object> day : byDay) {
        assertThat(((Number) day.get("counted")).longValue()).as("day %s", day.get("day"))
            .isEqualTo(((Number) day.get("n")).longValue());
      }
    }
  }
}

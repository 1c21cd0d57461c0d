package dev.agentphone.usage;

import dev.agentphone.support.TestEngine;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage summary reads indexed ranges and the per-day counters, never every message or call:
 * checked on the planner's own choice over tens of thousands of rows in two accounts.
 */
class UsageQueryPlanTest {
  static TestEngine engine;
  static Seed busy;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    busy = Seed.signUp(engine, "plan-busy");
    Seed other = Seed.signUp(engine, "plan-other");
    BulkSeed.messages(engine, busy.accountId, busy.numberId, 60_000, 400);
    BulkSeed.messages(engine, other.accountId, other.numberId, 5_000, 400);
    BulkSeed.calls(engine, busy.accountId, busy.agentId, busy.numberId, 5_000, 400);
    BulkSeed.calls(engine, other.accountId, other.agentId, other.numberId, 5_000, 400);
    engine.sql("ANALYZE");
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void theSummaryUsesIndexesAndCounters() throws Exception {
    UsageStore.Query query = UsageStore.summaryQuery(busy.accountId,
        OffsetDateTime.now(ZoneOffset.UTC));
    StringBuilder plan = new StringBuilder();
    for (Row row : engine.engine.pool().preparedQuery("EXPLAIN " + query.sql())
        .execute(query.params()).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS)) {
      plan.append(row.getString(0)).append('\n');
    }
    assertThat(plan.toString())
        .doesNotContain("Seq Scan on messages")
        .doesNotContain("Seq Scan on calls")
        .contains("messages_account_time")
        .contains("calls_account_started");

    // and the counters agree with a full count
    UsageStore.Summary summary = UsageStore.summary(engine.engine.pool(), busy.accountId,
            OffsetDateTime.now(ZoneOffset.UTC))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(summary.totalMessages()).isEqualTo(60_000);
    assertThat(summary.totalCalls()).isEqualTo(5_000);
    assertThat(summary.windows().get(2).messages()).isEqualTo((Long) engine.sql(
        "SELECT count(*) AS n FROM messages WHERE account_id = ? "
            + "AND created_at > now() - interval '30 days'", busy.accountId).get(0).get("n"));
  }
}

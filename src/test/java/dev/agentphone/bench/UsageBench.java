package dev.agentphone.bench;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.usage.BulkSeed;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;


/**
 * Usage benchmark (not a test): one account with a million stored messages (and calls and
 * settled webhook deliveries beside them), then sequential {@code GET /v1/usage}, {@code /v1/usage/daily}
 * and {@code /v1/usage/monthly} requests over real HTTP, timed end to end at the client.
 * The data is seeded with single {@code INSERT … SELECT generate_series} statements.
 * Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.agentphone.bench.UsageBench} (options: -Dbench.messages=1000000
 * -Dbench.calls=100000 -Dbench.deliveries=200000 -Dbench.days=365 -Dbench.requests=500).
 */
public final class UsageBench {
  private UsageBench() {
  }

  public static void main(String[] args) {
    int messages = Integer.getInteger("bench.messages", 1_000_000);
    int calls = Integer.getInteger("bench.calls", 100_000);
    int deliveries = Integer.getInteger("bench.deliveries", 200_000);
    int days = Integer.getInteger("bench.days", 365);
    int requests = Integer.getInteger("bench.requests", 500);
    System.out.printf("usage bench: %,d messages, %,d calls and %,d webhook deliveries over %d "
        + "days in one account, %d requests per endpoint, %d cores%n", messages, calls,
        deliveries, days, requests,
        Runtime.getRuntime().availableProcessors());
    try (TestEngine server = TestEngine.start()) {
      JsonObject account = server.signUp("usage-bench@example.com");
      String accountId = account.getString("account_id");
      long seeding = System.nanoTime();
      BulkSeed.messages(server, accountId, account.getString("number_id"), messages, days);
      BulkSeed.calls(server, accountId, account.getString("agent_id"),
          account.getString("number_id"), calls, days);
      BulkSeed.webhookDeliveries(server, accountId, deliveries, days);
      // what autovacuum does to settled data: statistics and the visibility map (index-only scans)
      server.sql("VACUUM ANALYZE");
      System.out.printf("seeded in %.1f s; stored messages: %s%n",
          (System.nanoTime() - seeding) / 1e9,
          server.sql("SELECT count(*) AS n FROM messages WHERE account_id = ?", accountId)
              .get(0).get("n"));

      // for contrast: what counting the stored rows themselves costs (what the counters avoid)
      for (int i = 0; i < 3; i++) {
        long counting = System.nanoTime();
        server.sql("SELECT count(*) FROM messages WHERE account_id = ? "
            + "AND created_at > now() - interval '30 days'", accountId);
        long window = System.nanoTime();
        server.sql("SELECT count(*) FROM messages WHERE account_id = ?", accountId);
        System.out.printf("direct count, for contrast: last 30 d %.1f ms, all %.1f ms%n",
            (window - counting) / 1e6, (System.nanoTime() - window) / 1e6);
      }

      String key = account.getString("api_key");
      Api api = server.api;
      System.out.println(api.get("/v1/usage", key).json().getJsonObject("stats").encode());
      for (String path : new String[] {"/v1/usage", "/v1/usage/daily?days=365",
          "/v1/usage/monthly?months=24", "/v1/usage/by-number"}) {
        for (int i = 0; i < 50; i++) {
          api.get(path, key);
        }
        Histogram latency = new Histogram(60_000_000_000L, 3);
        for (int i = 0; i < requests; i++) {
          long start = System.nanoTime();
          Api.Response response = api.get(path, key);
          latency.recordValue(System.nanoTime() - start);
          if (response.status() != 200) {
            throw new IllegalStateException(path + " answered " + response);
          }
        }
        System.out.printf("%-28s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", path,
            latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(95) / 1e6,
            latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6);
      }
    }
  }
}

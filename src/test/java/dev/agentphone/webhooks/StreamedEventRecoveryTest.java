package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TestKafka;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka mode: the relay marks an event dispatched once Kafka has it, so the stream is its only
 * way to a webhook. When the database refuses the deliveries planned from a consumed batch, first
 * while planning (an insert fails) and then at commit (a deferred check fails), the consumer puts
 * the batch back and every event still reaches the webhook, once.
 */
class StreamedEventRecoveryTest {
  static final int PER_PHASE = 10;

  @Test
  void everyEventIsDeliveredThroughPlanningAndCommitFailuresMidBurst() throws Exception {
    String run = UUID.randomUUID().toString();
    try (Receiver receiver = new Receiver();
         TestEngine engine = TestEngine.builder().config(Map.of(
             "kafka.bootstrap", TestKafka.bootstrap(),
             "kafka.topic", "recovery-" + run,
             "kafka.group", "recovery-" + run,
             "kafka.partitions", 4,
             "webhooks.retry.initialDelayMs", 50)).start()) {
      JsonObject owner = engine.signUp("recovery-" + System.nanoTime() + "@example.com");
      String key = owner.getString("api_key");
      assertThat(engine.api.post("/v1/webhooks", key,
          new JsonObject().put("url", receiver.url("/hook"))).status()).isEqualTo(200);
      injectFaults(engine);

      Set<String> accepted = new HashSet<>();
      int sent = 0;
      // normal traffic, then a planning failure, normal traffic, a commit failure, normal again
      for (String phase : List.of("", "plan", "", "commit", "")) {
        if (!phase.isEmpty()) {
          engine.sql("INSERT INTO fault_switch (name) VALUES (?)", phase);
        }
        for (int i = 0; i < PER_PHASE; i++, sent++) {
          accepted.add(text(engine, owner, key, sent));
        }
        if (!phase.isEmpty()) {
          // the failure hit the consumer's transactions, and its retries, before it goes away
          Fixtures.awaitRow(engine, row -> ((Number) row.get("n")).longValue() >= 2,
              "SELECT last_value AS n FROM fault_hits_" + phase + " WHERE is_called");
          engine.sql("DELETE FROM fault_switch WHERE name = ?", phase);
        }
      }
      assertThat(accepted).hasSize(5 * PER_PHASE);

      Map<String, Set<String>> idsByMessage = new HashMap<>();
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline
          && !idsByMessage.keySet().containsAll(accepted)) {
        Thread.sleep(100);
        idsByMessage.clear();
        for (Receiver.Hit hit : receiver.onPath("/hook")) {
          idsByMessage.computeIfAbsent(hit.json().getJsonObject("data").getString("messageId"),
              k -> new HashSet<>()).add(hit.id());
        }
      }
      assertThat(idsByMessage.keySet()).containsExactlyInAnyOrderElementsOf(accepted);
      // once each: a re-consumed record plans nothing twice
      assertThat(idsByMessage.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
      assertThat(engine.sql("SELECT count(*) AS n FROM webhook_deliveries WHERE account_id = ?",
          owner.getString("account_id")).get(0).get("n")).isEqualTo((long) accepted.size());
      // the relay had marked every event dispatched: the stream alone brought them back
      assertThat(engine.sql("SELECT count(*) AS n FROM events WHERE dispatched_at IS NULL")
          .get(0).get("n")).isEqualTo(0L);
    }
  }

  private static String text(TestEngine engine, JsonObject owner, String key, int i) {
    Api.Response sent = engine.api.post("/sandbox/sms", key, new JsonObject()
        .put("from", "+1415555" + String.format("%04d", 2000 + i))
        .put("to", owner.getString("phone_number")).put("body", "burst " + i));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    return sent.json().getJsonObject("message").getString("id");
  }

  /**
   * Real database failures, switched on by a row in {@code fault_switch}: "plan" makes every
   * delivery insert raise, "commit" lets the inserts through and fails the transaction at COMMIT
   * (a deferred constraint trigger). Sequences count the failed transactions (the first failing
   * statement or row aborts each); they survive the rollbacks.
   */
  private static void injectFaults(TestEngine engine) {
    engine.sql("CREATE TABLE fault_switch (name text PRIMARY KEY)");
    engine.sql("CREATE SEQUENCE fault_hits_plan");
    engine.sql("CREATE SEQUENCE fault_hits_commit");
    engine.sql("""
        CREATE FUNCTION fail_planning() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM fault_switch WHERE name = 'plan') THEN
            PERFORM nextval('fault_hits_plan');
            RAISE EXCEPTION 'injected failure while planning a delivery';
          END IF;
          RETURN NULL;
        END $$""");
    engine.sql("CREATE TRIGGER fault_plan BEFORE INSERT ON webhook_deliveries "
        + "FOR EACH STATEMENT EXECUTE FUNCTION fail_planning()");
    engine.sql("""
        CREATE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM fault_switch WHERE name = 'commit') THEN
            PERFORM nextval('fault_hits_commit');
            RAISE EXCEPTION 'injected failure at commit';
          END IF;
          RETURN NULL;
        END $$""");
    engine.sql("CREATE CONSTRAINT TRIGGER fault_commit AFTER INSERT ON webhook_deliveries "
        + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_commit()");
  }
}

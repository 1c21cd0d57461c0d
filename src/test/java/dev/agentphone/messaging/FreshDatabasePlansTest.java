package dev.agentphone.messaging;

import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new database's tables grow from empty under its first burst. Once they have grown, storing a
 * message must not read them whole: a plan a pooled connection cached while they were nearly
 * empty (a sequential scan) would, for every batch, until the table is next analyzed.
 */
class FreshDatabasePlansTest {
  static final String TOKEN = "sandbox-twilio-auth-token";
  static final int GROWN = 20_000;

  @Test
  void storingMessagesReadsNeitherMessagesNorEventsWholeOnceTheyHaveGrown() {
    String database;
    try (TestEngine server = TestEngine.start()) {
      database = server.databaseUrl;
      JsonObject account = server.signUp("plans-" + System.nanoTime() + "@example.com");
      String to = account.getString("phone_number");
      // no analysis while the test runs: it would re-plan the cached statements on its own
      server.sql("ALTER TABLE messages SET (autovacuum_enabled = false)");
      server.sql("ALTER TABLE events SET (autovacuum_enabled = false)");
      // batches of many messages, more than five on each pooled connection, while the tables are
      // nearly empty: PostgreSQL plans a prepared statement for its parameters five times, then
      // may keep a generic plan (scans of these 300 rows read at most 300 rows each)
      send(server, to, "early", 300);
      // the tables grow by copies of a stored message and of its dispatched event
      server.sql("INSERT INTO messages SELECT (jsonb_populate_record(NULL::messages, to_jsonb(m) "
          + "|| jsonb_build_object('id', 'msg_grown' || g, 'provider_sid', 'SMgrown' || g, "
          + "'created_at', m.created_at - g * interval '1 second'))).* FROM (SELECT * FROM "
          + "messages LIMIT 1) m, generate_series(1, " + GROWN + ") g");
      server.sql("INSERT INTO events SELECT (jsonb_populate_record(NULL::events, to_jsonb(e) "
          + "|| jsonb_build_object('id', 'evt_grown' || g, 'occurred_at', "
          + "e.occurred_at - g * interval '1 second', 'dispatched_at', now()))).* FROM "
          + "(SELECT * FROM events WHERE dispatched_at IS NOT NULL LIMIT 1) e, "
          + "generate_series(1, " + GROWN + ") g");
      send(server, to, "late", 100);
      // every event dispatched, through the claims and marks that look up the grown table
      RetellDriver.poll(() -> (Long) server.sql("SELECT count(*) AS n FROM events "
          + "WHERE dispatched_at IS NULL").get(0).get("n") == 0);
    }
    // the engine closed, its connections too: their backends have sent their counters
    RetellDriver.poll(() -> (Long) TestDatabase.sql(database, "SELECT count(*) AS n FROM "
        + "pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        .get(0).get("n") == 0);

    assertThat(stat(database, "messages"))
        .as("rows of messages read by sequential scans").isLessThan(GROWN);
    assertThat(stat(database, "events"))
        .as("rows of events read by sequential scans").isLessThan(GROWN);
    assertThat(TestDatabase.sql(database, "SELECT count(*) AS n FROM messages "
        + "WHERE body LIKE 'late %'").get(0).get("n")).isEqualTo(100L);
  }

  /** Posts {@code count} messages at once from 32 threads, as a burst from Twilio arrives. */
  private static void send(TestEngine server, String to, String label, int count) {
    ExecutorService senders = Executors.newFixedThreadPool(32);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Map<String, String> form = TwilioForms.sms("SM" + label + System.nanoTime() + "x" + i,
            "+14105550" + (100 + i % 50), to, label + " " + i);
        statuses.add(senders.submit(() -> TwilioForms.post(server.api, "/webhooks/twilio/sms",
            form, TOKEN).status()));
      }
      for (Future<Integer> status : statuses) {
        assertThat(status.get()).isEqualTo(200);
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      senders.shutdownNow();
    }
  }

  /** Rows of {@code table} read by sequential scans since the database was created. */
  private static long stat(String database, String table) {
    Map<String, Object> row = TestDatabase.sql(database, "SELECT seq_tup_read AS n "
        + "FROM pg_stat_user_tables WHERE relname = ?", table).get(0);
    return ((Number) row.get("n")).longValue();
  }
}

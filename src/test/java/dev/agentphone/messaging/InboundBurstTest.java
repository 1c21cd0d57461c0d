package dev.agentphone.messaging;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Many signed SMS posts to one number at once, as a burst from Twilio delivers them. */
class InboundBurstTest {
  static final String TOKEN = "sandbox-twilio-auth-token";
  static final String PATH = "/webhooks/twilio/sms";
  static TestEngine server;
  static ExecutorService senders;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    senders = Executors.newFixedThreadPool(32);
  }

  @AfterAll
  static void stop() {
    senders.shutdownNow();
    server.close();
  }

  private static JsonObject account() {
    return server.signUp("burst-" + System.nanoTime() + "@example.com");
  }

  /** Posts each {sid, body} at once from 32 threads; answers the statuses in the same order. */
  private static List<Integer> burst(String to, List<String[]> messages) throws Exception {
    List<Future<Integer>> posted = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      String[] message = messages.get(i);
      String from = "+1212555" + String.format("%04d", 100 + i % 7);
      posted.add(senders.submit(() -> TwilioForms.post(server.api, PATH,
          TwilioForms.sms(message[0], from, to, message[1]), TOKEN).status()));
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> status : posted) {
      statuses.add(status.get());
    }
    return statuses;
  }

  private static long count(String sql, Object... params) {
    return (Long) server.sql(sql, params).get(0).get("n");
  }

  @Test
  void aBurstToOneNumberIsStoredWithUniqueRisingTimesAndOneEventEach() throws Exception {
    JsonObject account = account();
    String numberId = account.getString("number_id");
    String resent = "SMresent" + System.nanoTime();
    List<String[]> messages = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // every tenth post resends the same message, as Twilio does after a time-out
      messages.add(i % 10 == 0 ? new String[] {resent, "resent"}
          : new String[] {"SMburst" + System.nanoTime() + "x" + i, "burst " + i});
    }
    assertThat(burst(account.getString("phone_number"), messages)).allMatch(s -> s == 200);

    assertThat(count("SELECT count(*) AS n FROM messages WHERE phone_number_id = ?", numberId))
        .isEqualTo(271L);
    assertThat(count("SELECT count(DISTINCT created_at) AS n FROM messages "
        + "WHERE phone_number_id = ?", numberId)).isEqualTo(271L);
    assertThat(count("SELECT count(*) AS n FROM messages WHERE provider_sid = ?", resent))
        .isEqualTo(1L);
    assertThat(count("SELECT sum(message_count) AS n FROM conversations "
        + "WHERE phone_number_id = ?", numberId)).isEqualTo(271L);
    // the events list the messages in the messages' own order, each at its message's time
    List<Object> byMessageTime = server.sql("SELECT id FROM messages WHERE phone_number_id = ? "
        + "ORDER BY created_at", numberId).stream().map(row -> row.get("id")).toList();
    List<Map<String, Object>> events = server.sql("SELECT e.data->>'messageId' AS id, "
        + "e.occurred_at = m.created_at AS same_time FROM events e JOIN messages m "
        + "ON m.id = e.data->>'messageId' WHERE e.account_id = ? AND e.type = 'agent.message' "
        + "ORDER BY e.occurred_at", account.getString("account_id"));
    assertThat(events).extracting(row -> row.get("id")).containsExactlyElementsOf(byMessageTime);
    assertThat(events).allMatch(row -> Boolean.TRUE.equals(row.get("same_time")));
  }

  @Test
  void aMessageWhoseTransactionFailsIsNeitherAnsweredStoredNorLost() throws Exception {
    JsonObject account = account();
    String to = account.getString("phone_number");
    server.sql("CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
        + "$$ BEGIN IF NEW.body = 'refused at commit' THEN RAISE EXCEPTION 'refused'; END IF; "
        + "RETURN NULL; END $$");
    server.sql("CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON messages "
        + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()");
    List<String[]> messages = new ArrayList<>();
    String refused = "SMrefused" + System.nanoTime();
    try {
      for (int i = 0; i < 100; i++) {
        messages.add(i == 50 ? new String[] {refused, "refused at commit"}
            : new String[] {"SMaround" + System.nanoTime() + "x" + i, "around " + i});
      }
      List<Integer> statuses = burst(to, messages);
      // 200 exactly for what was committed: whatever shared the refused one's transaction
      // failed with it, and is not stored
      for (int i = 0; i < messages.size(); i++) {
        long stored = count("SELECT count(*) AS n FROM messages WHERE provider_sid = ?",
            messages.get(i)[0]);
        assertThat(stored).as("message %d answered %d", i, statuses.get(i))
            .isEqualTo(statuses.get(i) == 200 ? 1L : 0L);
        if (statuses.get(i) != 200) {
          assertThat(statuses.get(i)).isGreaterThanOrEqualTo(500);
        }
      }
      assertThat(statuses.get(50)).isGreaterThanOrEqualTo(500);
    } finally {
      server.sql("DROP TRIGGER refuse_at_commit ON messages");
      server.sql("DROP FUNCTION refuse_at_commit()");
    }
    // Twilio retries what was not answered 200: now every message is stored exactly once
    assertThat(burst(to, messages)).allMatch(s -> s == 200);
    assertThat(count("SELECT count(*) AS n FROM messages WHERE phone_number_id = ?",
        account.getString("number_id"))).isEqualTo(100L);
    assertThat(count("SELECT count(*) AS n FROM events WHERE account_id = ? "
        + "AND type = 'agent.message'", account.getString("account_id"))).isEqualTo(100L);
  }
}

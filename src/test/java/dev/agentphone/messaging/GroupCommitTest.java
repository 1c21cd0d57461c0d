package dev.agentphone.messaging;

import dev.agentphone.conversations.ConversationWrites;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.Outbox;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit against the real database: a batch is formed by making a lane's messages ready
 * from the last to the first, so the whole lane is written in one transaction.
 */
class GroupCommitTest {
  static TestEngine server;
  static Pool pool;
  static Context context;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    pool = PgBuilder.pool().connectingTo(Database.connectOptions(server.databaseUrl))
        .using(server.vertx).build();
    context = server.vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() {
    pool.close();
    server.close();
  }

  /** One account's number: {@code accountId, numberId, phone}. */
  private static Map<String, String> number() {
    JsonObject account = server.signUp("group-commit-" + System.nanoTime() + "@example.com");
    return Map.of("accountId", account.getString("account_id"),
        "numberId", account.getString("number_id"), "phone", account.getString("phone_number"));
  }

  /** What InboundMessaging writes for an SMS: the message, its conversation, its event. */
  private static GroupCommit.Write sms(Map<String, String> number, String sid, String body) {
    String accountId = number.get("accountId");
    String numberId = number.get("numberId");
    MessageStore.NewMessage message = new MessageStore.NewMessage(accountId, numberId,
        "+12125550123", "inbound", "sms", "+12125550123", number.get("phone"), body, List.of(),
        "received", sid);
    return new GroupCommit.Write() {
      @Override
      public String numberId() {
        return numberId;
      }

      @Override
      public Future<JsonObject> apply(io.vertx.sqlclient.SqlConnection tx, OffsetDateTime at) {
        return MessageStore.insertAt(tx, message, at, (client, time, preview) ->
                ConversationWrites.recordMessage(client, accountId, numberId,
                    "+12125550123", time, preview))
            .compose(stored -> Outbox.insert(tx, new Outbox.Event(accountId, null,
                "agent.message", "sms", stored.conversationId(),
                new JsonObject().put("messageId", stored.messageId()), at)))
            .map(eventId -> new JsonObject().put("body", body));
      }
    };
  }

  /**
   * Writes the messages as one batch: all arrive, then they become ready last first, so the
   * lane's head is ready only when all are. Answers each message's outcome.
   */
  private static List<Future<JsonObject>> batch(GroupCommit commits, String to,
      List<GroupCommit.Write> writes) throws Exception {
    return onContext(() -> {
      List<GroupCommit.Ticket> tickets = new ArrayList<>();
      writes.forEach(write -> tickets.add(commits.arrive(to)));
      List<Future<JsonObject>> outcomes = new ArrayList<>();
      for (int i = writes.size() - 1; i >= 0; i--) {
        outcomes.add(0, tickets.get(i).ready(writes.get(i)));
      }
      return outcomes;
    });
  }

  private static <T> T onContext(Supplier<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> result.complete(work.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  private static void settle(List<Future<JsonObject>> outcomes) throws Exception {
    Future.join(new ArrayList<>(outcomes)).toCompletionStage().toCompletableFuture()
        .handle((v, e) -> null).get(30, TimeUnit.SECONDS);
  }

  private static List<Map<String, Object>> messages(String numberId) {
    return server.sql("SELECT body, (extract(epoch FROM created_at) * 1000000)::bigint AS micros "
        + "FROM messages WHERE phone_number_id = ? "
        + "ORDER BY created_at", numberId);
  }

  @Test
  void aBatchKeepsArrivalOrderWithUniqueRisingTimes() throws Exception {
    Map<String, String> number = number();
    GroupCommit commits = new GroupCommit(pool);
    List<GroupCommit.Write> writes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      writes.add(sms(number, "SMorder" + System.nanoTime() + "x" + i, "m" + i));
    }
    List<Future<JsonObject>> outcomes = batch(commits, number.get("phone"), writes);
    settle(outcomes);
    assertThat(outcomes).allMatch(Future::succeeded);

    List<Map<String, Object>> stored = messages(number.get("numberId"));
    assertThat(stored).extracting(row -> row.get("body"))
        .containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(i -> "m" + i).toList());
    for (int i = 1; i < stored.size(); i++) {
      assertThat((Long) stored.get(i).get("micros"))
          .isGreaterThan((Long) stored.get(i - 1).get("micros"));
    }
    assertThat(server.sql("SELECT count(*) AS n FROM events WHERE account_id = ?",
        number.get("accountId")).get(0).get("n")).isEqualTo(40L);
  }

  @Test
  void aResentSidInABatchFailsAloneAsADuplicate() throws Exception {
    Map<String, String> number = number();
    GroupCommit commits = new GroupCommit(pool);
    String resent = "SMresent" + System.nanoTime();
    settle(batch(commits, number.get("phone"), List.of(sms(number, resent, "first"))));

    List<Future<JsonObject>> outcomes = batch(commits, number.get("phone"), List.of(
        sms(number, "SMa" + System.nanoTime(), "before"), sms(number, resent, "again"),
        sms(number, "SMb" + System.nanoTime(), "after")));
    settle(outcomes);

    assertThat(outcomes.get(0).succeeded()).isTrue();
    assertThat(outcomes.get(1).cause()).isInstanceOf(MessageStore.Duplicate.class);
    assertThat(outcomes.get(2).succeeded()).isTrue();
    assertThat(messages(number.get("numberId"))).extracting(row -> row.get("body"))
        .containsExactly("first", "before", "after");
    // the duplicate's count in its conversation was rolled back with it
    assertThat(server.sql("SELECT message_count FROM conversations WHERE phone_number_id = ?",
        number.get("numberId")).get(0).get("message_count")).isEqualTo(3);
    assertThat(server.sql("SELECT count(*) AS n FROM events WHERE account_id = ?",
        number.get("accountId")).get(0).get("n")).isEqualTo(3L);
  }

  @Test
  void aBatchWhoseCommitFailsAnswersNoMessageAsStoredAndTheLaneGoesOn() throws Exception {
    Map<String, String> number = number();
    GroupCommit commits = new GroupCommit(pool);
    // a check PostgreSQL runs only at commit, so the whole transaction fails there
    server.sql("CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
        + "$$ BEGIN IF NEW.body = 'refused at commit' THEN RAISE EXCEPTION 'refused'; END IF; "
        + "RETURN NULL; END $$");
    server.sql("CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON messages "
        + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()");
    try {
      List<Future<JsonObject>> outcomes = batch(commits, number.get("phone"), List.of(
          sms(number, "SMc" + System.nanoTime(), "c"),
          sms(number, "SMp" + System.nanoTime(), "refused at commit"),
          sms(number, "SMd" + System.nanoTime(), "d")));
      settle(outcomes);
      assertThat(outcomes).allMatch(Future::failed);
      assertThat(messages(number.get("numberId"))).isEmpty();
      assertThat(server.sql("SELECT count(*) AS n FROM events WHERE account_id = ?",
          number.get("accountId")).get(0).get("n")).isEqualTo(0L);

      List<Future<JsonObject>> next = batch(commits, number.get("phone"),
          List.of(sms(number, "SMe" + System.nanoTime(), "e")));
      settle(next);
      assertThat(next.get(0).succeeded()).isTrue();
      assertThat(messages(number.get("numberId"))).extracting(row -> row.get("body"))
          .containsExactly("e");
    } finally {
      server.sql("DROP TRIGGER refuse_at_commit ON messages");
      server.sql("DROP FUNCTION refuse_at_commit()");
    }
  }
}

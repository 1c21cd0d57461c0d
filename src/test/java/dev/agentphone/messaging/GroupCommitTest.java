package dev.agentphone.messaging;

import dev.agentphone.conversations.ConversationWrites;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.Outbox;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /**
   * What InboundMessaging writes for an SMS from {@code from}: the message, its conversation, its
   * event; set-based with the other plain messages of its batch, or on its own.
   */
  private static GroupCommit.Write sms(Map<String, String> number, String from, String sid,
      String body) {
    String accountId = number.get("accountId");
    String numberId = number.get("numberId");
    MessageStore.NewMessage message = new MessageStore.NewMessage(accountId, numberId,
        from, "inbound", "sms", from, number.get("phone"), body, List.of(),
        "received", sid);
    return new GroupCommit.Write() {
      @Override
      public String numberId() {
        return numberId;
      }

      @Override
      public Future<JsonObject> apply(io.vertx.sqlclient.SqlConnection tx, OffsetDateTime at,
          JsonObject contact) {
        return MessageStore.insertAt(tx, message, at, (client, time, preview) ->
                ConversationWrites.recordMessage(client, accountId, numberId,
                    from, time, preview))
            .compose(stored -> Outbox.insert(tx, new Outbox.Event(accountId, null,
                "agent.message", "sms", stored.conversationId(),
                new JsonObject().put("messageId", stored.messageId()), at)))
            .map(eventId -> new JsonObject().put("body", body));
      }

      @Override
      public MessageBatch.Row row() {
        return new MessageBatch.Row(message, null,
            (stored, contact) -> new JsonObject().put("messageId", stored.messageId()),
            stored -> new JsonObject().put("body", body));
      }
    };
  }

  private static GroupCommit.Write sms(Map<String, String> number, String sid, String body) {
    return sms(number, "+12125550123", sid, body);
  }

  /** The same write as a message that needs its own statements (as a group message does). */
  private static GroupCommit.Write alone(GroupCommit.Write write) {
    return new GroupCommit.Write() {
      @Override
      public String numberId() {
        return write.numberId();
      }

      @Override
      public Future<JsonObject> apply(io.vertx.sqlclient.SqlConnection tx, OffsetDateTime at,
          JsonObject contact) {
        return write.apply(tx, at, contact);
      }
    };
  }

  /** The same write routed to the number's {@code agentId}, checked when it is written. */
  private static GroupCommit.Write routed(GroupCommit.Write write, String accountId,
      String agentId) {
    return new GroupCommit.Write() {
      @Override
      public String numberId() {
        return write.numberId();
      }

      @Override
      public GroupCommit.Route route() {
        return new GroupCommit.Route(accountId, agentId, "+12125550123");
      }

      @Override
      public Future<JsonObject> apply(io.vertx.sqlclient.SqlConnection tx, OffsetDateTime at,
          JsonObject contact) {
        return write.apply(tx, at, contact);
      }

      @Override
      public MessageBatch.Row row() {
        return write.row();
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
    return server.sql("SELECT body, (extract(epoch FROM created_at) * 1000000)::bigint AS micros, "
        + "(SELECT count(*) FROM events e WHERE e.data->>'messageId' = m.id) AS events "
        + "FROM messages m WHERE phone_number_id = ? "
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
    assertThat(stored).allMatch(row -> Long.valueOf(1).equals(row.get("events")));
  }

  /** Strictly rising times: unique per number, in the order the list gives. */
  private static void assertRising(List<Map<String, Object>> stored) {
    for (int i = 1; i < stored.size(); i++) {
      assertThat((Long) stored.get(i).get("micros"))
          .isGreaterThan((Long) stored.get(i - 1).get("micros"));
    }
  }

  private static Object messageCount(String numberId, String participant) {
    return server.sql("SELECT message_count FROM conversations WHERE phone_number_id = ? "
        + "AND participant = ?", numberId, participant).get(0).get("message_count");
  }

  @Test
  void messagesWrittenOnTheirOwnKeepTheirPlaceAmongTheSetBasedOnes() throws Exception {
    Map<String, String> number = number();
    GroupCommit commits = new GroupCommit(pool);
    List<GroupCommit.Write> writes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      GroupCommit.Write write = sms(number, "SMmixed" + System.nanoTime() + "x" + i, "m" + i);
      writes.add(i % 7 == 3 ? alone(write) : write);
    }
    List<Future<JsonObject>> outcomes = batch(commits, number.get("phone"), writes);
    settle(outcomes);
    assertThat(outcomes).allMatch(Future::succeeded);
    assertThat(outcomes).extracting(outcome -> outcome.result().getString("body"))
        .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "m" + i).toList());

    List<Map<String, Object>> stored = messages(number.get("numberId"));
    assertThat(stored).extracting(row -> row.get("body"))
        .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "m" + i).toList());
    assertRising(stored);
    assertThat(stored).allMatch(row -> Long.valueOf(1).equals(row.get("events")));
    assertThat(messageCount(number.get("numberId"), "+12125550123")).isEqualTo(30);
  }

  @Test
  void aSidTwiceInOneBatchIsStoredOnceAndTheSecondIsADuplicate() throws Exception {
    Map<String, String> number = number();
    GroupCommit commits = new GroupCommit(pool);
    String twice = "SMtwice" + System.nanoTime();
    List<Future<JsonObject>> outcomes = batch(commits, number.get("phone"), List.of(
        sms(number, twice, "first"), sms(number, "SMx" + System.nanoTime(), "between"),
        sms(number, twice, "again"), sms(number, "SMy" + System.nanoTime(), "last")));
    settle(outcomes);

    assertThat(outcomes.get(0).result().getString("body")).isEqualTo("first");
    assertThat(outcomes.get(1).succeeded()).isTrue();
    assertThat(outcomes.get(2).cause()).isInstanceOf(MessageStore.Duplicate.class);
    assertThat(outcomes.get(3).succeeded()).isTrue();
    List<Map<String, Object>> stored = messages(number.get("numberId"));
    assertThat(stored).extracting(row -> row.get("body"))
        .containsExactly("first", "between", "last");
    assertThat(stored).allMatch(row -> Long.valueOf(1).equals(row.get("events")));
    assertThat(messageCount(number.get("numberId"), "+12125550123")).isEqualTo(3);
  }

  @Test
  void oneBatchWritesToTwoNumbersEachInItsOwnOrderAndConversations() throws Exception {
    Map<String, String> first = number();
    Map<String, String> second = number();
    GroupCommit commits = new GroupCommit(pool);
    List<GroupCommit.Write> writes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Map<String, String> number = i % 2 == 0 ? first : second;
      String from = i % 4 < 2 ? "+12125550123" : "+12125550124";
      writes.add(sms(number, from, "SMtwo" + System.nanoTime() + "x" + i, "m" + i));
    }
    // one lane (the lane is the caller's choice of key), so one transaction for both numbers
    List<Future<JsonObject>> outcomes = batch(commits, first.get("phone"), writes);
    settle(outcomes);
    assertThat(outcomes).allMatch(Future::succeeded);

    for (Map<String, String> number : List.of(first, second)) {
      int parity = number == first ? 0 : 1;
      List<Map<String, Object>> stored = messages(number.get("numberId"));
      assertThat(stored).extracting(row -> row.get("body")).containsExactlyElementsOf(
          IntStream.range(0, 20).filter(i -> i % 2 == parity).mapToObj(i -> "m" + i).toList());
      assertRising(stored);
      assertThat(stored).allMatch(row -> Long.valueOf(1).equals(row.get("events")));
      assertThat(messageCount(number.get("numberId"), "+12125550123")).isEqualTo(5);
      assertThat(messageCount(number.get("numberId"), "+12125550124")).isEqualTo(5);
      assertThat(server.sql("SELECT last_message_preview FROM conversations "
              + "WHERE phone_number_id = ? AND participant = ?", number.get("numberId"),
          "+12125550124").get(0).get("last_message_preview"))
          .isEqualTo(parity == 0 ? "m18" : "m19");
    }
  }

  @Test
  void aMessageTheSetBasedWriteRefusesFailsAloneAndTheOthersAreStored() throws Exception {
    Map<String, String> number = number();
    GroupCommit commits = new GroupCommit(pool);
    // an account that does not exist: its conversation breaks the batch's statement
    Map<String, String> broken = Map.of("accountId", "acct_missing", "numberId",
        number.get("numberId"), "phone", number.get("phone"));
    List<Future<JsonObject>> outcomes = batch(commits, number.get("phone"), List.of(
        sms(number, "SMok" + System.nanoTime(), "before"),
        sms(broken, "+12125550199", "SMbad" + System.nanoTime(), "refused"),
        sms(number, "SMok2" + System.nanoTime(), "after")));
    settle(outcomes);

    assertThat(outcomes.get(0).succeeded()).as("%s", outcomes.get(0).cause()).isTrue();
    assertThat(outcomes.get(1).failed()).isTrue();
    assertThat(outcomes.get(2).succeeded()).isTrue();
    List<Map<String, Object>> stored = messages(number.get("numberId"));
    assertThat(stored).extracting(row -> row.get("body")).containsExactly("before", "after");
    assertRising(stored);
    assertThat(stored).allMatch(row -> Long.valueOf(1).equals(row.get("events")));
    assertThat(messageCount(number.get("numberId"), "+12125550123")).isEqualTo(2);
  }

  @Test
  void aRefusedRunAfterMessagesWrittenOnTheirOwnStoresEachOfTheOthersOnce() throws Exception {
    Map<String, String> number = number();
    GroupCommit commits = new GroupCommit(pool);
    Map<String, String> broken = Map.of("accountId", "acct_missing", "numberId",
        number.get("numberId"), "phone", number.get("phone"));
    // the first is written on its own before the run that the database refuses: the whole
    // transaction is written again, and it must not be stored twice
    List<Future<JsonObject>> outcomes = batch(commits, number.get("phone"), List.of(
        alone(sms(number, "SMalone" + System.nanoTime(), "alone")),
        sms(number, "SMok" + System.nanoTime(), "before"),
        sms(broken, "+12125550199", "SMbad" + System.nanoTime(), "refused"),
        sms(number, "SMok2" + System.nanoTime(), "after")));
    settle(outcomes);

    assertThat(outcomes.get(0).succeeded()).as("%s", outcomes.get(0).cause()).isTrue();
    assertThat(outcomes.get(1).succeeded()).isTrue();
    assertThat(outcomes.get(2).failed()).isTrue();
    assertThat(outcomes.get(3).succeeded()).isTrue();
    List<Map<String, Object>> stored = messages(number.get("numberId"));
    assertThat(stored).extracting(row -> row.get("body"))
        .containsExactly("alone", "before", "after");
    assertRising(stored);
    assertThat(stored).allMatch(row -> Long.valueOf(1).equals(row.get("events")));
    assertThat(messageCount(number.get("numberId"), "+12125550123")).isEqualTo(3);
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
  void theOutboxListenersAreWokenOnceTheBatchIsCommittedAndSeeItsEvents() throws Exception {
    Map<String, String> number = number();
    // what a listener finds each time it is woken: the account's events then
    List<Long> seen = new CopyOnWriteArrayList<>();
    PgConnection listener = PgConnection.connect(server.vertx,
            Database.connectOptions(server.databaseUrl))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      listener.notificationHandler(notification -> pool.preparedQuery(
              "SELECT count(*) AS n FROM events WHERE account_id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(number.get("accountId")))
          .onSuccess(rows -> seen.add(rows.iterator().next().getLong("n"))));
      listener.query("LISTEN " + Outbox.CHANNEL).execute()
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      GroupCommit commits = new GroupCommit(pool);
      List<GroupCommit.Write> writes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        writes.add(sms(number, "SMwake" + System.nanoTime() + "x" + i, "m" + i));
      }
      List<Future<JsonObject>> outcomes = batch(commits, number.get("phone"), writes);
      settle(outcomes);
      assertThat(outcomes).allMatch(Future::succeeded);
      long until = System.currentTimeMillis() + 10_000;
      while (!seen.contains(5L) && System.currentTimeMillis() < until) {
        Thread.sleep(20);
      }
      assertThat(seen).as("the account's events each time the listener was woken")
          .contains(5L);
    } finally {
      listener.close();
    }
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

  @Test
  void aMessageWhoseRouteChangedIsNotWrittenAndKeepsItsPlaceAheadOfThoseBehindIt()
      throws Exception {
    Map<String, String> number = number();
    String accountId = number.get("accountId");
    String agentId = server.sql("SELECT agent_id FROM phone_numbers WHERE id = ?",
        number.get("numberId")).get(0).get("agent_id").toString();
    GroupCommit commits = new GroupCommit(pool);
    List<GroupCommit.Write> writes = List.of(
        routed(sms(number, "SMr1" + System.nanoTime(), "one"), accountId, agentId),
        routed(sms(number, "SMr2" + System.nanoTime(), "two"), accountId, "agt_moved_away"),
        routed(sms(number, "SMr3" + System.nanoTime(), "three"), accountId, agentId));
    List<GroupCommit.Ticket> tickets = new ArrayList<>();
    List<Future<JsonObject>> outcomes = onContext(() -> {
      writes.forEach(write -> tickets.add(commits.arrive(number.get("phone"))));
      List<Future<JsonObject>> ready = new ArrayList<>();
      for (int i = writes.size() - 1; i >= 0; i--) {
        ready.add(0, tickets.get(i).ready(writes.get(i)));
      }
      return ready;
    });
    settle(outcomes.subList(0, 2));
    assertThat(outcomes.get(0).succeeded()).isTrue();
    assertThat(outcomes.get(1).cause()).isInstanceOf(GroupCommit.StaleRoute.class);
    // the one behind waits for the stale one to be routed again
    Thread.sleep(200);
    assertThat(outcomes.get(2).isComplete()).isFalse();
    assertThat(messages(number.get("numberId"))).extracting(row -> row.get("body"))
        .containsExactly("one");

    Future<JsonObject> again = onContext(() -> tickets.get(1).ready(routed(
        sms(number, "SMr2again" + System.nanoTime(), "two"), accountId, agentId)));
    settle(List.of(again, outcomes.get(2)));
    assertThat(again.succeeded()).isTrue();
    assertThat(outcomes.get(2).succeeded()).isTrue();
    List<Map<String, Object>> stored = messages(number.get("numberId"));
    assertThat(stored).extracting(row -> row.get("body")).containsExactly("one", "two", "three");
    assertThat(stored).allMatch(row -> (Long) row.get("events") == 1L);
  }

  @Test
  void aMessageRoutedToAReleasedNumberIsNotWritten() throws Exception {
    Map<String, String> number = number();
    String agentId = server.sql("SELECT agent_id FROM phone_numbers WHERE id = ?",
        number.get("numberId")).get(0).get("agent_id").toString();
    server.sql("UPDATE phone_numbers SET status = 'released' WHERE id = ?",
        number.get("numberId"));
    GroupCommit commits = new GroupCommit(pool);
    List<GroupCommit.Ticket> tickets = new ArrayList<>();
    Future<JsonObject> outcome = onContext(() -> {
      tickets.add(commits.arrive(number.get("phone")));
      return tickets.get(0).ready(routed(sms(number, "SMgone" + System.nanoTime(), "gone"),
          number.get("accountId"), agentId));
    });
    settle(List.of(outcome));
    assertThat(outcome.cause()).isInstanceOf(GroupCommit.StaleRoute.class);
    onContext(() -> {
      tickets.get(0).cancel();
      return null;
    });
    assertThat(messages(number.get("numberId"))).isEmpty();
    // the lane goes on past the cancelled one
    List<Future<JsonObject>> next = batch(commits, number.get("phone"),
        List.of(sms(number, "SMnext" + System.nanoTime(), "next")));
    settle(next);
    assertThat(next.get(0).succeeded()).isTrue();
  }
}

package dev.agentphone.calls;

import dev.agentphone.support.DomainHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.agentphone.support.DomainHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's turn writer stores many calls' turns in one statement: each call gets back exactly
 * the turns of its own that were new, a turn stored twice is stored once, and one call whose
 * turns cannot be stored does not lose the turns of the calls batched with it.
 */
class TurnWriterTest {
  static Vertx vertx;
  static DomainHarness db;
  static String accountId;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    db = DomainHarness.start(vertx, Map.of());
    accountId = db.newAccount();
  }

  @AfterAll
  static void stop() {
    db.close();
    await(vertx.close());
  }

  private static List<Map<String, Object>> stored(String callId) {
    return db.sql("SELECT seq, role, content FROM call_turns WHERE call_id = ? ORDER BY seq",
        callId);
  }

  @Test
  void callsWritingAtOnceEachGetTheirOwnNewTurns() {
    TurnWriter writer = new TurnWriter(vertx, db.pool);
    String first = db.newCall(accountId);
    String second = db.newCall(accountId);
    Future<List<JsonObject>> a = writer.insert(first, List.of(new TurnStore.Turn(0, "user", "hi"),
        new TurnStore.Turn(1, "agent", "hello")));
    Future<List<JsonObject>> b = writer.insert(second, List.of(new TurnStore.Turn(0, "user",
        "who is this")));

    assertThat(await(a)).extracting(t -> t.getString("content")).containsExactly("hi", "hello");
    assertThat(await(a)).allSatisfy(t -> assertThat(t.getString("id")).startsWith("turn"));
    assertThat(await(b)).extracting(t -> t.getString("content")).containsExactly("who is this");
    assertThat(stored(first)).hasSize(2);
    assertThat(stored(second)).hasSize(1);

    // the same transcript again, one turn longer: only the new turn is stored and answered
    List<JsonObject> again = await(writer.insert(first, List.of(
        new TurnStore.Turn(0, "user", "hi"), new TurnStore.Turn(1, "agent", "hello"),
        new TurnStore.Turn(2, "user", "bye"))));
    assertThat(again).extracting(t -> t.getInteger("seq")).containsExactly(2);
    assertThat(stored(first)).extracting(r -> r.get("content"))
        .containsExactly("hi", "hello", "bye");
  }

  @Test
  void aTurnTwoWritesOfOneCallCarryInOneBatchIsAnsweredToTheFirstOnly() {
    TurnWriter writer = new TurnWriter(vertx, db.pool);
    String call = db.newCall(accountId);
    // the same final turn handed over twice before the first is stored (a transcript resent)
    Future<List<JsonObject>> first = writer.insert(call, List.of(new TurnStore.Turn(0, "user",
        "hi")));
    Future<List<JsonObject>> second = writer.insert(call, List.of(new TurnStore.Turn(0, "user",
        "hi"), new TurnStore.Turn(1, "agent", "hello")));

    assertThat(await(first)).extracting(t -> t.getInteger("seq")).containsExactly(0);
    // published once: the second write answers only the turn that was its own
    assertThat(await(second)).extracting(t -> t.getInteger("seq")).containsExactly(1);
    assertThat(stored(call)).extracting(r -> r.get("content")).containsExactly("hi", "hello");
  }

  @Test
  void aCallWhoseTurnsCannotBeStoredDoesNotLoseTheOthers() {
    TurnWriter writer = new TurnWriter(vertx, db.pool);
    String live = db.newCall(accountId);
    // no such call: its turns break the batch's statement (foreign key)
    Future<List<JsonObject>> orphan = writer.insert("call_missing" + System.nanoTime(),
        List.of(new TurnStore.Turn(0, "user", "lost")));
    Future<List<JsonObject>> kept = writer.insert(live, List.of(new TurnStore.Turn(0, "user",
        "kept")));

    assertThat(await(kept)).extracting(t -> t.getString("content")).containsExactly("kept");
    String outcome = await(orphan.otherwiseEmpty().map(x -> x == null ? "failed" : "stored"));
    assertThat(outcome).isEqualTo("failed");
    assertThat(stored(live)).extracting(r -> r.get("content")).containsExactly("kept");
  }

  @Test
  void aLargeBurstIsStoredCompletely() {
    TurnWriter writer = new TurnWriter(vertx, db.pool);
    List<String> calls = new java.util.ArrayList<>();
    List<Future<List<JsonObject>>> writes = new java.util.ArrayList<>();
    for (int i = 0; i < TurnWriter.MAX_BATCH + 50; i++) {
      String call = db.newCall(accountId);
      calls.add(call);
      writes.add(writer.insert(call, List.of(new TurnStore.Turn(0, "user", "turn " + i))));
    }
    await(Future.all(writes));
    for (int i = 0; i < calls.size(); i++) {
      assertThat(writes.get(i).result()).extracting(t -> t.getString("content"))
          .containsExactly("turn " + i);
    }
    assertThat(db.sql("SELECT count(*) AS n FROM call_turns t JOIN calls c ON c.id = t.call_id "
        + "WHERE c.account_id = ? AND t.content LIKE 'turn %'", accountId).get(0).get("n"))
        .isEqualTo((long) calls.size());
  }
}

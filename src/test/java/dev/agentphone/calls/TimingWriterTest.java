package dev.agentphone.calls;

import dev.agentphone.support.DomainHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.agentphone.support.DomainHarness.await;
import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's timing writer batches the turn timings of many calls: every row lands with its
 * figures, each call's turns in the order they were handed over, and a row that cannot be
 * stored does not lose the rows batched with it.
 */
class TimingWriterTest {
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

  private static List<Map<String, Object>> rows(String callId) {
    return db.sql("SELECT response_id, outcome, engine_ms, webhook_ms, spans::text AS spans, "
        + "received_at FROM call_turn_timings WHERE call_id = ? ORDER BY id", callId);
  }

  private static TimingWriter.Timing timing(String callId, int responseId, Double webhookMs) {
    return new TimingWriter.Timing(callId, responseId, "webhook", "answered",
        1_700_000_000_000L + responseId, 1.5 + responseId, webhookMs,
        new JsonArray().add(new JsonObject().put("name", "frame_received").put("offsetMs", 0))
            .encode());
  }

  @Test
  void everyCallsTimingsLandWithTheirFiguresInTheOrderGiven() {
    TimingWriter writer = new TimingWriter(vertx, db.pool);
    String first = db.newCall(accountId);
    String second = db.newCall(accountId);
    for (int turn = 1; turn <= 3; turn++) {
      writer.add(timing(first, turn, 10.0 * turn));
      writer.add(timing(second, turn, null));
    }
    poll(() -> rows(first).size() == 3 && rows(second).size() == 3);
    assertThat(rows(first)).extracting(r -> r.get("response_id")).containsExactly(1, 2, 3);
    assertThat(rows(first)).extracting(r -> r.get("webhook_ms")).containsExactly(10.0, 20.0,
        30.0);
    assertThat(rows(second)).extracting(r -> r.get("webhook_ms")).containsOnlyNulls();
    Map<String, Object> row = rows(second).get(0);
    assertThat(row.get("engine_ms")).isEqualTo(2.5);
    assertThat(row.get("outcome")).isEqualTo("answered");
    assertThat(new JsonArray((String) row.get("spans")).getJsonObject(0).getString("name"))
        .isEqualTo("frame_received");
    assertThat(row.get("received_at").toString()).contains("2023-11-14");
  }

  @Test
  void aRowThatCannotBeStoredDoesNotLoseItsBatch() {
    TimingWriter writer = new TimingWriter(vertx, db.pool);
    String live = db.newCall(accountId);
    writer.add(timing(live, 1, 5.0));
    // no such call: its row breaks the batch's statement (foreign key)
    writer.add(timing("call_missing" + System.nanoTime(), 1, 5.0));
    writer.add(timing(live, 2, 6.0));
    poll(() -> rows(live).size() == 2);
    assertThat(rows(live)).extracting(r -> r.get("response_id")).containsExactly(1, 2);
  }

  @Test
  void aBurstLargerThanABatchIsWrittenCompletely() {
    TimingWriter writer = new TimingWriter(vertx, db.pool);
    List<String> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(db.newCall(accountId));
    }
    int total = TimingWriter.MAX_BATCH + 100;
    for (int i = 0; i < total; i++) {
      writer.add(timing(calls.get(i % calls.size()), i / calls.size(), null));
    }
    poll(() -> ((Long) db.sql("SELECT count(*) AS n FROM call_turn_timings WHERE call_id = "
        + "ANY(string_to_array(?, ','))", String.join(",", calls)).get(0).get("n")) == total);
    for (String call : calls) {
      List<Object> ids = rows(call).stream().map(r -> r.get("response_id")).toList();
      assertThat(ids).isSorted();
    }
  }
}

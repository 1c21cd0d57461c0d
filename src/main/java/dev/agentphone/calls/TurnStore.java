package dev.agentphone.calls;

import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Transcript turns. A turn's {@code seq} is its position in the provider's transcript, and
 * {@code (call_id, seq)} is unique: storing the same transcript twice (a retried webhook, a
 * reconnected socket, the final reconciliation) inserts only what is new, and only what was
 * actually inserted is published, so every subscriber sees each turn exactly once.
 */
final class TurnStore {
  private TurnStore() {
  }

  /** Where a call's turns and its end are published (cluster-wide, for SSE on any node). */
  static String address(String callId) {
    return "calls." + callId + ".turns";
  }

  /** One utterance at a position of the transcript. */
  record Turn(int seq, String role, String content) {
  }

  /** Inserts the turns not stored yet; answers the inserted ones as published JSON, by seq. */
  static Future<List<JsonObject>> insert(SqlClient client, String callId, List<Turn> turns) {
    if (turns.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return insertRows(client, List.of(callId), List.of(turns)).map(rows -> {
      List<JsonObject> inserted = new ArrayList<>();
      for (Row row : rows) {
        inserted.add(json(row));
      }
      inserted.sort((a, b) -> Integer.compare(a.getInteger("seq"), b.getInteger("seq")));
      return inserted;
    });
  }

  /**
   * Inserts the turns of several calls ({@code turns.get(i)} of {@code callIds.get(i)}) not
   * stored yet, in one statement so that they land together and in the order given; answers
   * the inserted rows, with their {@code call_id}.
   */
  static Future<RowSet<Row>> insertRows(SqlClient client, List<String> callIds,
      List<List<Turn>> turns) {
    List<String> ids = new ArrayList<>();
    List<String> calls = new ArrayList<>();
    List<Integer> seqs = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    List<String> contents = new ArrayList<>();
    for (int i = 0; i < callIds.size(); i++) {
      for (Turn turn : turns.get(i)) {
        ids.add(Ids.next("turn"));
        calls.add(callIds.get(i));
        seqs.add(turn.seq());
        roles.add(turn.role());
        contents.add(turn.content());
      }
    }
    return client.preparedQuery("INSERT INTO call_turns (id, call_id, seq, role, content) "
            + "SELECT i, k, s, r, c FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], "
            + "$5::text[]) WITH ORDINALITY AS t(i, k, s, r, c, n) ORDER BY n "
            + "ON CONFLICT (call_id, seq) DO NOTHING "
            + "RETURNING id, call_id, seq, role, content, created_at")
        .execute(Tuple.of(ids.toArray(String[]::new), calls.toArray(String[]::new),
            seqs.toArray(Integer[]::new), roles.toArray(String[]::new),
            contents.toArray(String[]::new)));
  }

  static void publish(Vertx vertx, String callId, List<JsonObject> turns) {
    // when it was published, for the SSE lag of /metrics (a header: the event stays as it is)
    DeliveryOptions published = new DeliveryOptions()
        .addHeader(PUBLISHED_AT, Long.toString(System.currentTimeMillis()));
    for (JsonObject turn : turns) {
      vertx.eventBus().publish(address(callId), turn.copy().put("type", "turn"), published);
    }
  }

  static final String PUBLISHED_AT = "published-at";

  static void publishEnded(Vertx vertx, String callId, String status, Integer durationSeconds) {
    vertx.eventBus().publish(address(callId), new JsonObject().put("type", "ended")
        .put("status", status).put("durationSeconds", durationSeconds));
  }

  /** Stored turns after {@code afterSeq}, in order. */
  static Future<JsonArray> list(SqlClient client, String callId, int afterSeq) {
    return client.preparedQuery("SELECT id, seq, role, content, created_at FROM call_turns "
            + "WHERE call_id = $1 AND seq > $2 ORDER BY seq")
        .execute(Tuple.of(callId, afterSeq))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(row -> out.add(json(row)));
          return out;
        });
  }

  static Future<Integer> nextSeq(SqlClient client, String callId) {
    return client.preparedQuery("SELECT coalesce(max(seq) + 1, 0) FROM call_turns WHERE call_id = $1")
        .execute(Tuple.of(callId))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  static JsonObject json(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("seq", row.getInteger("seq"))
        .put("role", row.getString("role"))
        .put("content", row.getString("content"))
        .put("createdAt", Times.format(row.getOffsetDateTime("created_at")));
  }

  /**
   * {@code {id, transcript, response, createdAt}} entries: each caller utterance with the agent's
   * answer to it; agent speech before any caller utterance (the greeting) has a null transcript.
   */
  static JsonArray entries(JsonArray turns) {
    JsonArray out = new JsonArray();
    JsonObject current = null;
    for (int i = 0; i < turns.size(); i++) {
      JsonObject turn = turns.getJsonObject(i);
      boolean user = "user".equals(turn.getString("role"));
      if (user || current == null) {
        current = new JsonObject().put("id", turn.getString("id"))
            .put("transcript", user ? turn.getString("content") : null)
            .put("response", user ? null : turn.getString("content"))
            .put("createdAt", turn.getString("createdAt"));
        out.add(current);
      } else {
        String before = current.getString("response");
        current.put("response", before == null ? turn.getString("content")
            : before + " " + turn.getString("content"));
      }
    }
    return out;
  }

  /** Retell transcript entries {@code [{role, content}]} as turns from position 0. */
  static List<Turn> fromTranscript(JsonArray transcript) {
    List<Turn> turns = new ArrayList<>();
    if (transcript == null) {
      return turns;
    }
    for (int i = 0; i < transcript.size(); i++) {
      Object entry = transcript.getValue(i);
      if (entry instanceof JsonObject utterance) {
        String content = utterance.getString("content", "");
        String role = "user".equals(utterance.getString("role")) ? "user" : "agent";
        turns.add(new Turn(i, role, content));
      }
    }
    return turns;
  }

  static String snippet(String content) {
    if (content == null) {
      return null;
    }
    return content.length() <= 140 ? content : content.substring(0, 137) + "...";
  }

  static String nowText() {
    return Times.format(Times.now());
  }
}

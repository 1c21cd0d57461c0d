package dev.agentphone.calls;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stores the final turns of every live call on this node in batches: what the sessions hand over
 * within a few milliseconds goes to the database as one statement. A turn's answer is sent
 * before its turns are written (the session does not wait for the store to reply), so batching
 * takes the per-turn insert, and its round trip and PostgreSQL's work for it, off the path of
 * the turns that follow; a node with 1,000 calls talking writes about 1,000 turns a second.
 *
 * <p>Each caller gets the turns that were actually inserted (as {@link TurnStore#insert} answers
 * them), on its own context. A batch that fails is retried one call at a time, so one call's bad
 * turn cannot lose the others'.
 */
final class TurnWriter {
  /** How long the first turn of a batch waits for others to join it. */
  static final long WINDOW_MILLIS = 5;
  /** Past this many waiting writes a batch leaves at once. */
  static final int MAX_BATCH = 256;

  private final Vertx vertx;
  private final Pool pool;
  private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  TurnWriter(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  private record Pending(String callId, List<TurnStore.Turn> turns, Context context,
      Promise<List<JsonObject>> done) {
  }

  /** Stores the turns of one call not stored yet; answers the inserted ones, by seq. */
  Future<List<JsonObject>> insert(String callId, List<TurnStore.Turn> turns) {
    if (turns.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Promise<List<JsonObject>> done = Promise.promise();
    waiting.add(new Pending(callId, turns, vertx.getOrCreateContext(), done));
    if (size.incrementAndGet() >= MAX_BATCH) {
      vertx.runOnContext(v -> flush());
    } else if (scheduled.compareAndSet(false, true)) {
      vertx.setTimer(WINDOW_MILLIS, t -> flush());
    }
    return done.future();
  }

  private void flush() {
    scheduled.set(false);
    List<Pending> batch = new ArrayList<>();
    Pending next;
    while (batch.size() < MAX_BATCH * 4 && (next = waiting.poll()) != null) {
      size.decrementAndGet();
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    if (!waiting.isEmpty() && scheduled.compareAndSet(false, true)) {
      vertx.setTimer(WINDOW_MILLIS, t -> flush());
    }
    write(batch).onSuccess(rows -> {
      Map<String, List<JsonObject>> byCall = new HashMap<>();
      for (Row row : rows) {
        byCall.computeIfAbsent(row.getString("call_id"), k -> new ArrayList<>())
            .add(TurnStore.json(row));
      }
      for (Pending pending : batch) {
        List<JsonObject> inserted = new ArrayList<>();
        // a stored turn goes to the first of its call's writes that asked for it, and only to
        // it: two writes of one call in a batch may both carry a turn that is stored once
        for (Iterator<JsonObject> rest = byCall.getOrDefault(pending.callId(), new ArrayList<>())
            .iterator(); rest.hasNext(); ) {
          JsonObject turn = rest.next();
          int seq = turn.getInteger("seq");
          if (pending.turns().stream().anyMatch(t -> t.seq() == seq)) {
            inserted.add(turn);
            rest.remove();
          }
        }
        inserted.sort((a, b) -> Integer.compare(a.getInteger("seq"), b.getInteger("seq")));
        pending.context().runOnContext(v -> pending.done().complete(inserted));
      }
    }).onFailure(e -> {
      for (Pending pending : batch) {
        pending.context().runOnContext(v -> TurnStore.insert(pool, pending.callId(),
            pending.turns()).onComplete(pending.done()));
      }
    });
  }

  /** One statement for the whole batch, in order of arrival (each call's turns by seq). */
  private Future<RowSet<Row>> write(List<Pending> batch) {
    return TurnStore.insertRows(pool, batch.stream().map(Pending::callId).toList(),
        batch.stream().map(Pending::turns).toList());
  }
}

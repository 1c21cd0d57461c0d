package dev.agentphone.calls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A live call's transcript as its session keeps it: the position the next turn takes, the recent
 * turns a webhook turn sends as history, and the storing of final turns, one write at a time,
 * each published once stored. The writes go through the node's {@link TurnWriter}, which batches
 * them with other calls' turns: a turn is answered without waiting for its store. Rebuilt from
 * the database when a session starts.
 */
final class Transcript {
  private static final Logger LOG = LoggerFactory.getLogger(Transcript.class);
  private static final int HISTORY = 100;

  private final Vertx vertx;
  private final Pool pool;
  private final TurnWriter writer;
  private final String callId;
  private final List<JsonObject> history = new ArrayList<>();
  private int nextSeq;
  private Future<Void> storing = Future.succeededFuture();

  Transcript(Vertx vertx, Pool pool, TurnWriter writer, String callId) {
    this.vertx = vertx;
    this.pool = pool;
    this.writer = writer;
    this.callId = callId;
  }

  /** Reads what is stored of the call so far. */
  Future<Void> load() {
    return Future.all(TurnStore.nextSeq(pool, callId).onSuccess(n -> nextSeq = n),
        TurnStore.list(pool, callId, -1).onSuccess(this::remember)).mapEmpty();
  }

  /** The position the next turn takes. */
  int nextSeq() {
    return nextSeq;
  }

  /** True until the first turn is stored (or on its way): nobody has spoken yet. */
  boolean empty() {
    return nextSeq == 0;
  }

  /** The most recent stored turns, oldest first (published JSON). */
  List<JsonObject> history() {
    return history;
  }

  /** Completes once every turn handed to {@link #storeFinal} so far is stored (or given up). */
  Future<Void> stored() {
    return storing;
  }

  /** Stores the final turns not stored yet, one write at a time, publishing what was new. */
  void storeFinal(List<TurnStore.Turn> turns) {
    List<TurnStore.Turn> fresh = turns.stream()
        .filter(t -> t.seq() >= nextSeq && t.content() != null && !t.content().isBlank())
        .collect(Collectors.toList());
    if (fresh.isEmpty()) {
      return;
    }
    nextSeq = fresh.get(fresh.size() - 1).seq() + 1;
    storing = storing.compose(v -> writer.insert(callId, fresh))
        .onSuccess(inserted -> {
          remember(new JsonArray(inserted));
          TurnStore.publish(vertx, callId, inserted);
        })
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.error("could not store turns of call {}", callId, e);
          return Future.succeededFuture();
        });
  }

  private void remember(JsonArray turns) {
    turns.forEach(t -> history.add((JsonObject) t));
    if (history.size() > HISTORY) {
      history.subList(0, history.size() - HISTORY).clear();
    }
  }
}

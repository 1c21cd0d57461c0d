package dev.agentphone.messaging;

import dev.agentphone.platform.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Group commit of inbound messages. A message takes its place in a lane when it arrives (lanes
 * by the number it was sent to, so one number's messages keep their arrival order) and is written
 * once its lookups are done. A lane writes what is ready at its head in one transaction while no
 * other of its transactions is in flight, so under a burst the messages that arrived during one
 * commit share the next: one WAL flush for many messages.
 *
 * <p>Inside the transaction each message runs in its own savepoint: one that fails (a resent
 * {@code MessageSid}, a group that does not exist) is rolled back alone and answered with its own
 * failure once the others committed. A message is answered only after its transaction's outcome
 * is known: stored means committed, and if the commit fails every message of it fails.
 *
 * <p>Used on the messaging verticle's event loop only.
 */
final class GroupCommit {
  /**
   * PostgreSQL keeps the ids of 64 subtransactions per transaction in shared memory; past that
   * every other backend's snapshot pays for looking them up, so a batch stays within it.
   */
  static final int MAX_BATCH = 64;
  /** Lanes write in parallel, each on its own connection. */
  static final int LANES = 8;

  /** One message's writes, given its time; run inside its savepoint. */
  interface Write {
    String numberId();

    Future<JsonObject> apply(SqlConnection tx, OffsetDateTime at);
  }

  /** A message's place in its lane, from its arrival until its transaction's outcome. */
  final class Ticket {
    private final Lane lane;
    private final Promise<JsonObject> outcome = Promise.promise();
    private Write write;

    private Ticket(Lane lane) {
      this.lane = lane;
    }

    /** The message is ready to be written; answers once it is committed (or failed). */
    Future<JsonObject> ready(Write write) {
      this.write = write;
      lane.pump();
      return outcome.future();
    }

    /** The message will not be written (its lookups failed): the lane moves past it. */
    void cancel() {
      lane.waiting.remove(this);
      lane.pump();
    }
  }

  private final Pool pool;
  private final Map<Integer, Lane> lanes = new HashMap<>();

  GroupCommit(Pool pool) {
    this.pool = pool;
  }

  /** Takes the place of a message to {@code to} in its lane. */
  Ticket arrive(String to) {
    int lane = Math.floorMod(to.hashCode(), LANES);
    return lanes.computeIfAbsent(lane, k -> new Lane()).arrive();
  }

  private final class Lane {
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    private boolean writing;

    Ticket arrive() {
      Ticket ticket = new Ticket(this);
      waiting.add(ticket);
      return ticket;
    }

    void pump() {
      if (writing) {
        return;
      }
      List<Ticket> batch = new ArrayList<>();
      while (batch.size() < MAX_BATCH && !waiting.isEmpty() && waiting.peek().write != null) {
        batch.add(waiting.poll());
      }
      if (batch.isEmpty()) {
        return;
      }
      writing = true;
      List<Future<JsonObject>> results = new ArrayList<>();
      pool.withTransaction(tx -> write(tx, batch, results))
          .onComplete(committed -> {
            writing = false;
            for (int i = 0; i < batch.size(); i++) {
              Promise<JsonObject> outcome = batch.get(i).outcome;
              if (committed.failed()) {
                outcome.fail(committed.cause());
              } else {
                results.get(i).onComplete(outcome);
              }
            }
            pump();
          });
    }
  }

  /** The batch's messages in order, each in its savepoint; then the outbox's wake-up. */
  private static Future<Void> write(SqlConnection tx, List<Ticket> batch,
      List<Future<JsonObject>> results) {
    Set<String> numbers = new HashSet<>();
    batch.forEach(ticket -> numbers.add(ticket.write.numberId()));
    return MessageStore.lockNumbers(tx, numbers).compose(latest -> {
      Future<Void> chain = Future.succeededFuture();
      for (Ticket ticket : batch) {
        chain = chain.compose(v -> {
          String number = ticket.write.numberId();
          OffsetDateTime at = MessageStore.nextTime(latest.get(number));
          // the next message of the number is later even if this one is rolled back
          latest.put(number, at);
          return inSavepoint(tx, ticket.write, at).map(result -> {
            results.add(result);
            return null;
          });
        });
      }
      return chain.compose(v -> results.stream().anyMatch(Future::succeeded)
          ? Outbox.wake(tx) : Future.succeededFuture());
    });
  }

  /**
   * The write's outcome as a completed future: failed when the write failed and was rolled back
   * to its savepoint. Fails itself only when the transaction cannot go on.
   */
  private static Future<Future<JsonObject>> inSavepoint(SqlConnection tx, Write write,
      OffsetDateTime at) {
    Future<?> savepoint = tx.query("SAVEPOINT message").execute();
    // sent right behind the savepoint, without waiting for its answer
    Future<JsonObject> written = write.apply(tx, at);
    return savepoint.transform(opened -> opened.failed() ? Future.failedFuture(opened.cause())
        : written.transform(result -> result.succeeded()
            ? tx.query("RELEASE SAVEPOINT message").execute()
                .map(released -> Future.succeededFuture(result.result()))
            : tx.query("ROLLBACK TO SAVEPOINT message; RELEASE SAVEPOINT message").execute()
                .map(rolledBack -> Future.failedFuture(result.cause()))));
  }
}

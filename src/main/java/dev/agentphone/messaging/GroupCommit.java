package dev.agentphone.messaging;

import dev.agentphone.contacts.ContactReads;
import dev.agentphone.numbers.NumberReads;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.OutboxWakeup;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Group commit of inbound messages. A message takes its place in a lane when it arrives (lanes
 * by the number it was sent to, so one number's messages keep their arrival order) and is written
 * once its lookups are done. A lane writes what is ready at its head in one transaction while no
 * other of its transactions is in flight, so under a burst the messages that arrived during one
 * commit share the next: one WAL flush for many messages.
 *
 * <p>Inside the transaction the numbers are locked and their latest times read once, each
 * message is given its time in arrival order, and each run of plain messages is written with a
 * fixed number of statements ({@link MessageBatch}); a message that needs its own statements (a
 * group message, an inline reply: {@link Write#row} is null) runs in its own savepoint. A run
 * the database refuses rolls back the whole transaction, which is then written again with each
 * of its messages in its own savepoint. One that fails (a resent {@code MessageSid}, a group
 * that does not exist) fails alone and is answered with its own failure once the others
 * committed; a resent {@code MessageSid} is found before the run (among the stored provider ids
 * read under the locks, or earlier in the batch) and costs the run nothing. A message is answered only after its transaction's outcome
 * is known: stored means committed, and if the commit fails every message of it fails.
 *
 * <p>A message routed to a number ({@link Write#route}: its account and agent, maybe from a
 * cache) is written only if that route still holds in the transaction, read under the locks:
 * one whose number was released or moved to another agent meanwhile is not written, goes back
 * to its place at the head of its lane and is failed with {@link StaleRoute}; its caller routes
 * it again and makes it ready anew (or cancels it). The batch's messages behind it are not
 * written either: they go back behind it, as they were, so that none overtakes it. The senders' contacts, which the events
 * name, are read in the transaction too, in one statement for the batch.
 *
 * <p>Used on the messaging verticle's event loop only.
 */
final class GroupCommit {
  /**
   * PostgreSQL keeps the ids of 64 subtransactions per transaction in shared memory; past that
   * every other backend's snapshot pays for looking them up, so a batch stays within it even
   * when all of its messages are written one by one (a rolled-back savepoint frees its place).
   */
  static final int MAX_BATCH = 64;
  /**
   * Lanes write in parallel, each on its own connection. With 8, a burst over 100 numbers made
   * batches of 6 messages on average and cost PostgreSQL 550 µs of CPU per message; with 4, 12
   * and 400 µs, at about the same rate on a busy 2-core machine (a batch's statements cost about
   * as much whatever its length, and the lanes' transactions lock the same accounts' rows for
   * their foreign keys).
   */
  static final int LANES = 4;

  /**
   * The route a message was given: the account and agent of its number, which must still hold
   * when it is written, and its sender, whose contact in that account its event names.
   */
  record Route(String accountId, String agentId, String sender) {
  }

  /** The message's route no longer holds; its ticket waits at its place to be made ready again. */
  static final class StaleRoute extends RuntimeException {
    StaleRoute() {
      super("the number's route changed", null, false, false);
    }
  }

  /** Behind a stale route in its batch: not written, back in the lane as it was. */
  private static final class Deferred extends RuntimeException {
    Deferred() {
      super("behind a stale route", null, false, false);
    }
  }

  /** One message's writes, given its time and its sender's contact (or null). */
  interface Write {
    String numberId();

    /** What is checked and read for the message in its transaction; null: nothing. */
    default Route route() {
      return null;
    }

    /** Writes the message on its own, inside its savepoint. */
    Future<JsonObject> apply(SqlConnection tx, OffsetDateTime at, JsonObject contact);

    /** The message as a row of a set-based run, or null when it needs {@link #apply}. */
    default MessageBatch.Row row() {
      return null;
    }
  }

  /** A message's place in its lane, from its arrival until its transaction's outcome. */
  final class Ticket {
    private final Lane lane;
    private Promise<JsonObject> outcome = Promise.promise();
    private Write write;
    private MessageBatch.Row row;

    private Ticket(Lane lane) {
      this.lane = lane;
    }

    /** The message is ready to be written; answers once it is committed (or failed). */
    Future<JsonObject> ready(Write write) {
      this.write = write;
      this.row = write.row();
      lane.pump();
      return outcome.future();
    }

    /** Back to waiting for {@link #ready}; answers the outcome promise it had. */
    private Promise<JsonObject> again() {
      Promise<JsonObject> had = outcome;
      outcome = Promise.promise();
      write = null;
      row = null;
      return had;
    }

    /** The message will not be written (its lookups failed): the lane moves past it. */
    void cancel() {
      lane.waiting.remove(this);
      lane.pump();
    }
  }

  private final Pool pool;
  private final OutboxWakeup wakeup;
  private final Map<Integer, Lane> lanes = new HashMap<>();

  GroupCommit(Pool pool) {
    this.pool = pool;
    this.wakeup = new OutboxWakeup(pool);
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
      writeBatch(batch, false);
    }

    /** {@code batch} in one transaction; {@code oneByOne}: each message in its savepoint. */
    private void writeBatch(List<Ticket> batch, boolean oneByOne) {
      List<Future<JsonObject>> results = new ArrayList<>();
      pool.withConnection(tx -> inTransaction(tx, () -> write(tx, batch, results, oneByOne)))
          .onComplete(committed -> {
            if (committed.failed() && committed.cause() instanceof MessageBatch.Refused
                && !oneByOne) {
              // rolled back whole, nothing of it stored: again, so that only what the database
              // refuses fails
              writeBatch(batch, true);
              return;
            }
            writing = false;
            if (committed.succeeded() && committed.result()) {
              wakeup.wake();
            }
            List<Promise<JsonObject>> outcomes = new ArrayList<>();
            batch.forEach(ticket -> outcomes.add(ticket.outcome));
            // a stale route's ticket, and those behind it, take their places back before any
            // outcome is answered
            for (int i = batch.size() - 1; i >= 0; i--) {
              Throwable unwritten = committed.failed() ? null : results.get(i).cause();
              if (unwritten instanceof StaleRoute) {
                batch.get(i).again();
              }
              if (unwritten instanceof StaleRoute || unwritten instanceof Deferred) {
                waiting.addFirst(batch.get(i));
              }
            }
            for (int i = 0; i < batch.size(); i++) {
              if (committed.failed()) {
                outcomes.get(i).fail(committed.cause());
              } else if (!(results.get(i).cause() instanceof Deferred)) {
                results.get(i).onComplete(outcomes.get(i));
              }
            }
            pump();
          });
    }
  }

  /**
   * {@code work} between a BEGIN and a COMMIT sent as plain statements, the BEGIN pipelined with
   * the work's first statements; answers whether {@code work} stored anything, whose events the
   * outbox's listeners are then woken for, once committed ({@link OutboxWakeup}: a NOTIFY in
   * this transaction would hold PostgreSQL's notification lock through its WAL flush, so the
   * lanes' commits could not share one). Not the client's transaction API: that one rolls back
   * at the end once any statement failed, even one rolled back to its savepoint since, and a
   * message the database refuses must fail alone. Every failed statement of {@code work} is
   * either rolled back to its savepoint or fails {@code work}; and a statement in front of the
   * COMMIT would fail in an aborted transaction (and the COMMIT not run), so a COMMIT answered
   * here never silently rolled back a stored message.
   */
  private static Future<Boolean> inTransaction(SqlConnection tx, Supplier<Future<Boolean>> work) {
    Future<?> begun = tx.query("BEGIN").execute();
    Future<Boolean> stored;
    try {
      stored = work.get();
    } catch (RuntimeException bug) {
      // the connection goes back to the pool: never inside this transaction
      stored = Future.failedFuture(bug);
    }
    Future<Boolean> answered = stored;
    return Future.join(begun, answered).transform(worked -> {
      if (worked.failed()) {
        return tx.query("ROLLBACK").execute().transform(rolledBack ->
            Future.<Boolean>failedFuture(worked.cause()));
      }
      // the SELECT fails in an aborted transaction, and the COMMIT behind it is then not run
      return tx.query("SELECT 1; COMMIT").execute().transform(committed -> committed.failed()
          ? tx.query("ROLLBACK").execute().transform(rolledBack ->
              Future.<Boolean>failedFuture(committed.cause()))
          : Future.succeededFuture(answered.result()));
    });
  }

  /**
   * The batch's messages in order: the runs of plain messages set-based, the others each in its
   * savepoint. Answers whether any was stored.
   */
  private static Future<Boolean> write(SqlConnection tx, List<Ticket> batch,
      List<Future<JsonObject>> results, boolean oneByOne) {
    Set<String> numbers = new HashSet<>();
    Set<String> sids = new HashSet<>();
    Map<String, String> routed = new HashMap<>();
    List<ContactReads.Sender> senders = new ArrayList<>();
    for (Ticket ticket : batch) {
      numbers.add(ticket.write.numberId());
      MessageBatch.Row row = ticket.row;
      if (row != null && row.message().providerSid() != null) {
        sids.add(row.message().providerSid());
      }
      Route route = ticket.write.route();
      if (route != null) {
        routed.put(ticket.write.numberId(), route.accountId());
        if (route.sender() != null) {
          senders.add(sender(route));
        }
      }
    }
    // the latest times and the stored provider ids in one statement behind the locks; the
    // routes and contacts sent behind them, so they are read under them too (each planned anew)
    Database.planEachStatement(tx, true);
    Future<MessageStore.Locked> locked = MessageStore.lockNumbers(tx, numbers, sids);
    Future<Map<String, String>> agents = NumberReads.activeAgents(tx,
        new ArrayList<>(routed.values()), new ArrayList<>(routed.keySet()));
    Future<Map<ContactReads.Sender, JsonObject>> contacts = ContactReads.bySenders(tx, senders);
    Database.planEachStatement(tx, false);
    return Future.all(locked, agents, contacts).compose(read -> {
      Map<String, OffsetDateTime> latest = locked.result().latest();
      Set<String> known = locked.result().stored();
      results.addAll(Collections.nCopies(batch.size(), null));
      List<OffsetDateTime> times = new ArrayList<>();
      List<JsonObject> found = new ArrayList<>();
      boolean cut = false;
      for (int k = 0; k < batch.size(); k++) {
        Write write = batch.get(k).write;
        Route route = write.route();
        boolean stale = route != null && (!agents.result().containsKey(write.numberId())
            || !Objects.equals(agents.result().get(write.numberId()), route.agentId()));
        cut |= stale;
        if (cut) {
          results.set(k, Future.failedFuture(stale ? new StaleRoute() : new Deferred()));
          times.add(null);
          found.add(null);
          continue;
        }
        OffsetDateTime at = MessageStore.nextTime(latest.get(write.numberId()));
        latest.put(write.numberId(), at);
        times.add(at);
        found.add(route == null || route.sender() == null ? null
            : contacts.result().get(sender(route)));
      }
      Future<Void> chain = Future.succeededFuture();
      int i = 0;
      while (i < batch.size()) {
        if (times.get(i) == null) {
          i++;
          continue;
        }
        int from = i;
        if (batch.get(i).row == null) {
          i++;
        } else {
          while (i < batch.size() && times.get(i) != null && batch.get(i).row != null) {
            i++;
          }
        }
        int to = i;
        boolean run = batch.get(from).row != null && !oneByOne;
        chain = chain.compose(v -> run
            ? writeRun(tx, batch, times, found, from, to, known, results)
            : oneByOne(tx, batch, times, found, from, to, results));
      }
      return chain.map(v -> results.stream().anyMatch(r -> r != null && r.succeeded()));
    });
  }

  private static ContactReads.Sender sender(Route route) {
    return new ContactReads.Sender(route.accountId(), route.sender());
  }

  /**
   * The plain messages {@code from} to {@code to}, set-based; fails as {@link MessageBatch.Refused}
   * when the database refused the run.
   */
  private static Future<Void> writeRun(SqlConnection tx, List<Ticket> batch,
      List<OffsetDateTime> times, List<JsonObject> contacts, int from, int to,
      Set<String> stored, List<Future<JsonObject>> results) {
    List<MessageBatch.Row> rows = new ArrayList<>();
    batch.subList(from, to).forEach(ticket -> rows.add(ticket.row));
    return MessageBatch.write(tx, rows, times.subList(from, to), contacts.subList(from, to),
        stored).compose(outcomes -> {
      for (int k = 0; k < outcomes.size(); k++) {
        results.set(from + k, outcomes.get(k));
      }
      return Future.succeededFuture();
    });
  }

  /** The messages {@code from} to {@code to}, each in its savepoint. */
  private static Future<Void> oneByOne(SqlConnection tx, List<Ticket> batch,
      List<OffsetDateTime> times, List<JsonObject> contacts, int from, int to,
      List<Future<JsonObject>> results) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = from; i < to; i++) {
      int at = i;
      chain = chain.compose(v -> inSavepoint(tx, batch.get(at).write, times.get(at),
              contacts.get(at))
          .map(result -> {
            results.set(at, result);
            return null;
          }));
    }
    return chain;
  }

  /**
   * The write's outcome as a completed future: failed when the write failed and was rolled back
   * to its savepoint. Fails itself only when the transaction cannot go on.
   */
  private static Future<Future<JsonObject>> inSavepoint(SqlConnection tx, Write write,
      OffsetDateTime at, JsonObject contact) {
    Future<?> savepoint = tx.query("SAVEPOINT message").execute();
    // sent right behind the savepoint, without waiting for its answer
    Future<JsonObject> written = write.apply(tx, at, contact);
    return savepoint.transform(opened -> opened.failed() ? Future.failedFuture(opened.cause())
        : written.transform(result -> result.succeeded()
            ? tx.query("RELEASE SAVEPOINT message").execute()
                .map(released -> Future.succeededFuture(result.result()))
            : tx.query("ROLLBACK TO SAVEPOINT message; RELEASE SAVEPOINT message").execute()
                .map(rolledBack -> Future.failedFuture(result.cause()))));
  }
}

package dev.agentphone.messaging;

import dev.agentphone.conversations.ConversationWrites;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A run of plain messages of a group commit written with a fixed number of statements, whatever
 * its length: their conversations in one upsert, then the messages in one insert and their
 * {@code agent.message} events in another, the two sent together without waiting in between.
 *
 * <p>A resend is found before anything is written: its provider id is among those stored
 * already (read under the numbers' locks, {@link MessageStore#lockNumbers(io.vertx.sqlclient.SqlClient, java.util.Collection, java.util.Collection)}) or earlier in the
 * run. It fails alone as a {@link MessageStore.Duplicate} and is neither counted nor given an
 * event. The statements run without a savepoint of their own, which would cost a subtransaction
 * and two statements in every batch for what almost never happens: should they fail (a resend
 * that raced past the check to another number, a message the database refuses), the run fails
 * as {@link Refused}, its transaction is rolled back whole, and the caller writes the batch
 * again in a new one, each message in its own savepoint, as if no run had been tried.
 */
final class MessageBatch {
  /**
   * A message that can be written in a run: its row, its number's agent, its event's data (given
   * where it was stored and its sender's contact, or null) and its answer once stored.
   */
  record Row(MessageStore.NewMessage message, String agentId,
      BiFunction<MessageStore.Stored, JsonObject, JsonObject> event,
      Function<MessageStore.Stored, JsonObject> answer) {
  }

  /**
   * The run's statements failed, so its transaction is aborted: nothing of the transaction can
   * be kept, and its messages are to be written again, one by one.
   */
  static final class Refused extends RuntimeException {
    Refused(Throwable cause) {
      super("the batch's set-based write was refused", cause, false, false);
    }
  }

  private MessageBatch() {
  }

  /**
   * Writes {@code rows} at {@code times}, their senders' contacts {@code contacts} (null where
   * none; the caller holds their numbers' locks). Answers each
   * row's outcome in order (its answer, or failed as a duplicate), or fails as {@link Refused}
   * when the transaction must be rolled back and the messages written one by one.
   * {@code stored} holds the provider ids stored already; the run's own are added to it once
   * written.
   */
  static Future<List<Future<JsonObject>>> write(SqlConnection tx, List<Row> rows,
      List<OffsetDateTime> times, List<JsonObject> contacts, Set<String> stored) {
    List<Future<JsonObject>> outcomes = new ArrayList<>();
    List<Integer> fresh = new ArrayList<>();
    Set<String> inRun = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      String sid = rows.get(i).message().providerSid();
      boolean resent = sid != null && (stored.contains(sid) || !inRun.add(sid));
      outcomes.add(resent ? Future.failedFuture(new MessageStore.Duplicate()) : null);
      if (!resent) {
        fresh.add(i);
      }
    }
    if (fresh.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    List<MessageStore.NewMessage> messages = new ArrayList<>();
    List<ConversationWrites.Counted> counted = new ArrayList<>();
    for (int i : fresh) {
      MessageStore.NewMessage m = rows.get(i).message();
      messages.add(m);
      counted.add(new ConversationWrites.Counted(m.accountId(), m.numberId(), m.participant(),
          times.get(i), MessageStore.preview(m.body(), m.mediaUrls())));
    }
    Future<List<MessageStore.Stored>> written = ConversationWrites.recordMessages(tx, counted)
        .compose(threads -> {
          List<MessageStore.Stored> placed = new ArrayList<>();
          List<Outbox.Event> events = new ArrayList<>();
          for (int k = 0; k < fresh.size(); k++) {
            int i = fresh.get(k);
            Row row = rows.get(i);
            MessageStore.NewMessage m = row.message();
            MessageStore.Stored at = new MessageStore.Stored(Ids.next("msg"), threads.get(k),
                times.get(i));
            placed.add(at);
            events.add(new Outbox.Event(m.accountId(), row.agentId(), "agent.message",
                m.channel(), at.conversationId(), row.event().apply(at, contacts.get(i)), at.at()));
          }
          // sent together, neither waiting for the answer of the other
          Future<Void> inserted = MessageStore.insertAll(tx, messages, placed);
          Future<List<String>> recorded = Outbox.insertAll(tx, events);
          return Future.join(inserted, recorded).map(all -> placed);
        });
    return written.transform(done -> {
      if (done.failed()) {
        return Future.failedFuture(new Refused(done.cause()));
      }
      List<MessageStore.Stored> placed = done.result();
      for (int k = 0; k < fresh.size(); k++) {
        Row row = rows.get(fresh.get(k));
        outcomes.set(fresh.get(k), Future.succeededFuture(row.answer().apply(placed.get(k))));
        if (row.message().providerSid() != null) {
          stored.add(row.message().providerSid());
        }
      }
      return Future.succeededFuture(outcomes);
    });
  }
}

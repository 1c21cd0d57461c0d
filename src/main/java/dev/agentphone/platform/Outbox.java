package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Records domain events in the {@code events} table inside the caller's transaction, so an event
 * exists exactly when the change that caused it committed. Listeners are woken on commit through
 * {@code NOTIFY agentphone_events} (PostgreSQL delivers notifications only when the transaction
 * commits).
 */
public final class Outbox {
  public static final String CHANNEL = "agentphone_events";

  private Outbox() {
  }

  /** An event to record: {@code type} like {@code agent.message}, channel like {@code sms}. */
  public record Event(String accountId, String agentId, String type, String channel,
      String conversationId, JsonObject data, OffsetDateTime occurredAt) {
  }

  /**
   * Claims up to {@code batch} events not dispatched yet, oldest first, for the rest of the
   * transaction {@code tx} ({@code FOR UPDATE SKIP LOCKED}: nodes share the work, none waits).
   * Part of the outbox's transactional API, for its consumers (the Kafka relay, webhook planning).
   */
  public static Future<List<OutboxEvent>> claimUndispatched(SqlConnection tx, int batch) {
    Database.planEachStatement(tx, true);
    Future<RowSet<Row>> claimed = tx.preparedQuery("SELECT " + OutboxEvent.COLUMNS
            + " FROM events WHERE dispatched_at IS NULL ORDER BY occurred_at LIMIT $1 "
            + "FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(batch));
    Database.planEachStatement(tx, false);
    return claimed
        .map(rows -> {
          List<OutboxEvent> events = new ArrayList<>();
          rows.forEach(row -> events.add(OutboxEvent.of(row)));
          return events;
        });
  }

  /**
   * Marks claimed events dispatched, in the claiming transaction. Like the claim, planned for
   * its ids ({@link Database#planEachStatement}): the table grows fast from empty.
   */
  public static Future<Void> markDispatched(SqlConnection tx, List<String> eventIds) {
    Database.planEachStatement(tx, true);
    Future<?> marked = tx.preparedQuery("UPDATE events SET dispatched_at = now() "
            + "WHERE id = ANY($1)")
        .execute(Tuple.of(eventIds.toArray(new String[0])));
    Database.planEachStatement(tx, false);
    return marked.mapEmpty();
  }

  /** Inserts the event and schedules the wake-up; returns the event id. */
  public static Future<String> record(SqlClient tx, Event event) {
    return insert(tx, event).compose(id -> wake(tx).map(id));
  }

  /**
   * Inserts the event without the wake-up, for a transaction that records many: it must call
   * {@link #wake} before it commits. Returns the event id.
   */
  public static Future<String> insert(SqlClient tx, Event event) {
    String id = Ids.next("evt");
    OffsetDateTime at = event.occurredAt() != null ? event.occurredAt() : Times.now();
    return tx.preparedQuery("INSERT INTO events (id, account_id, agent_id, type, channel, "
            + "conversation_id, data, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.of(id, event.accountId(), event.agentId(), event.type(), event.channel(),
            event.conversationId(), event.data(), at))
        .map(id);
  }

  /**
   * {@link #insert} for many events in one statement (without the wake-up); returns their ids
   * in the order given.
   */
  public static Future<List<String>> insertAll(SqlClient tx, List<Event> events) {
    int size = events.size();
    String[] ids = new String[size];
    String[] accounts = new String[size];
    String[] agents = new String[size];
    String[] types = new String[size];
    String[] channels = new String[size];
    String[] conversations = new String[size];
    String[] data = new String[size];
    OffsetDateTime[] at = new OffsetDateTime[size];
    for (int i = 0; i < size; i++) {
      Event event = events.get(i);
      ids[i] = Ids.next("evt");
      accounts[i] = event.accountId();
      agents[i] = event.agentId();
      types[i] = event.type();
      channels[i] = event.channel();
      conversations[i] = event.conversationId();
      data[i] = event.data().encode();
      at[i] = event.occurredAt() != null ? event.occurredAt() : Times.now();
    }
    return tx.preparedQuery("INSERT INTO events (id, account_id, agent_id, type, channel, "
            + "conversation_id, data, occurred_at) SELECT i, a, g, t, c, v, d::jsonb, o "
            + "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
            + "$6::text[], $7::text[], $8::timestamptz[]) AS e(i, a, g, t, c, v, d, o)")
        .execute(Tuple.from(new Object[] {ids, accounts, agents, types, channels, conversations,
            data, at}))
        .map(rows -> List.of(ids));
  }

  /** Wakes the listeners when {@code tx} commits. */
  public static Future<Void> wake(SqlClient tx) {
    return tx.query("NOTIFY " + CHANNEL).execute().mapEmpty();
  }
}

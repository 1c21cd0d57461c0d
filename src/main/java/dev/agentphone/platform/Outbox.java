package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;

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

  /** Inserts the event and schedules the wake-up; returns the event id. */
  public static Future<String> record(SqlClient tx, Event event) {
    String id = Ids.next("evt");
    OffsetDateTime at = event.occurredAt() != null ? event.occurredAt() : Times.now();
    return tx.preparedQuery("INSERT INTO events (id, account_id, agent_id, type, channel, "
            + "conversation_id, data, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.of(id, event.accountId(), event.agentId(), event.type(), event.channel(),
            event.conversationId(), event.data(), at))
        .compose(r -> tx.query("NOTIFY " + CHANNEL).execute())
        .map(id);
  }
}

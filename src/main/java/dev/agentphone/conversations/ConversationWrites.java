package dev.agentphone.conversations;

import dev.agentphone.platform.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;

/**
 * The conversations domain's transactional API: the write that joins the messaging domain's
 * transaction storing a message, so a message and its conversation's counters commit together.
 */
public final class ConversationWrites {
  private ConversationWrites() {
  }

  /**
   * Threads a message at {@code at} into the conversation of our number and {@code participant}
   * (the other party), creating it on the first message, and counts it there; answers the
   * conversation's id.
   */
  public static Future<String> recordMessage(SqlClient tx, String accountId, String numberId,
      String participant, OffsetDateTime at, String preview) {
    return tx.preparedQuery("INSERT INTO conversations (id, account_id, phone_number_id, "
            + "participant, message_count, last_message_at, last_message_preview, created_at) "
            + "VALUES ($1, $2, $3, $4, 1, $5, $6, $5) "
            + "ON CONFLICT (phone_number_id, participant) DO UPDATE SET "
            + "message_count = conversations.message_count + 1, "
            + "last_message_at = EXCLUDED.last_message_at, "
            + "last_message_preview = EXCLUDED.last_message_preview, updated_at = now() "
            + "RETURNING id")
        .execute(Tuple.of(Ids.next("conv"), accountId, numberId, participant, at, preview))
        .map(rows -> rows.iterator().next().getString("id"));
  }
}

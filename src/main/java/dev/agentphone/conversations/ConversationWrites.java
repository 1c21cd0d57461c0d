package dev.agentphone.conversations;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;

/**
 * The conversations domain's transactional API: the writes that join the messaging domain's
 * transaction storing a message, so a message and its conversation's counters commit together.
 * A one-to-one conversation is created by its first message; a group conversation by the message
 * that starts the group ({@link #startGroup}), and later messages find it ({@link #recordInGroup}).
 */
public final class ConversationWrites {
  private static final String COUNT_MESSAGE = "message_count = conversations.message_count + 1, "
      + "last_message_at = $4, last_message_preview = $5, updated_at = now()";

  private ConversationWrites() {
  }

  /**
   * The conversation a message was threaded into. For a group: its id ({@code grp_…}, the
   * conversation's participant), name, members ({@code [{identifier, name}]}) and the carrier's
   * id of the group chat (null until the carrier created it); all null for a one-to-one chat.
   */
  public record Threaded(String conversationId, String groupId, String groupName,
      JsonArray participants, String groupChat) {
    public boolean group() {
      return groupId != null;
    }

    static Threaded direct(String conversationId) {
      return new Threaded(conversationId, null, null, null, null);
    }
  }

  /**
   * Threads a message at {@code at} into the conversation of our number and {@code participant}
   * (the other party), creating it on the first message, and counts it there.
   */
  public static Future<Threaded> recordMessage(SqlClient tx, String accountId, String numberId,
      String participant, OffsetDateTime at, String preview) {
    return tx.preparedQuery("INSERT INTO conversations (id, account_id, phone_number_id, "
            + "participant, message_count, last_message_at, last_message_preview, created_at) "
            + "VALUES ($1, $2, $3, $6, 1, $4, $5, $4) "
            + "ON CONFLICT (phone_number_id, participant) DO UPDATE SET " + COUNT_MESSAGE
            + " RETURNING id")
        .execute(Tuple.of(Ids.next("conv"), accountId, numberId, at, preview, participant))
        .map(rows -> Threaded.direct(rows.iterator().next().getString("id")));
  }

  /**
   * Creates the group conversation {@code groupId} of our number with its first message:
   * {@code participants} are its other members, {@code [{identifier, name}]}.
   */
  public static Future<Threaded> startGroup(SqlClient tx, String accountId, String numberId,
      String groupId, JsonArray participants, OffsetDateTime at, String preview) {
    return tx.preparedQuery("INSERT INTO conversations (id, account_id, phone_number_id, "
            + "participant, message_count, last_message_at, last_message_preview, created_at, "
            + "is_group, participants) VALUES ($1, $2, $3, $6, 1, $4, $5, $4, true, $7) "
            + "RETURNING id")
        .execute(Tuple.of(Ids.next("conv"), accountId, numberId, at, preview, groupId,
            participants))
        .map(rows -> new Threaded(rows.iterator().next().getString("id"), groupId, null,
            participants, null));
  }

  /**
   * Counts a message in the group of our number named {@code group}: our id ({@code grp_…}) or
   * the carrier's id of its chat. 404 when the number has no such group.
   */
  public static Future<Threaded> recordInGroup(SqlClient tx, String accountId, String numberId,
      String group, OffsetDateTime at, String preview) {
    return tx.preparedQuery("UPDATE conversations SET " + COUNT_MESSAGE
            + " WHERE account_id = $1 AND phone_number_id = $2 AND is_group "
            + "AND (participant = $3 OR carrier_chat_id = $3) "
            + "RETURNING id, participant, group_name, participants, carrier_chat_id")
        .execute(Tuple.of(accountId, numberId, group, at, preview))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Group " + group + " on this number");
          }
          Row row = rows.iterator().next();
          return new Threaded(row.getString("id"), row.getString("participant"),
              row.getString("group_name"), (JsonArray) row.getValue("participants"),
              row.getString("carrier_chat_id"));
        });
  }

  /** Remembers the carrier's id of a group chat it created for the conversation. */
  public static Future<Void> setGroupChat(SqlClient client, String accountId,
      String conversationId, String groupChat) {
    return client.preparedQuery("UPDATE conversations SET carrier_chat_id = $3 "
            + "WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, conversationId, groupChat))
        .mapEmpty();
  }
}

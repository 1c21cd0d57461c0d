package dev.agentphone.conversations;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** A message at {@code at} to count in the conversation of its number and participant. */
  public record Counted(String accountId, String numberId, String participant, OffsetDateTime at,
      String preview) {
    private String key() {
      return numberId + "\n" + participant;
    }
  }

  /**
   * {@link #recordMessage} for many messages in one statement: each conversation is created or
   * counted once with all of its messages (count, first and last time, last preview), as if they
   * had been recorded one after another in time order. Answers each message's conversation, in
   * the order given.
   */
  public static Future<List<Threaded>> recordMessages(SqlClient tx, List<Counted> messages) {
    Map<String, Counted> first = new LinkedHashMap<>();
    Map<String, Counted> last = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (Counted message : messages) {
      String key = message.key();
      first.putIfAbsent(key, message);
      last.merge(key, message, (a, b) -> b.at().isBefore(a.at()) ? a : b);
      counts.merge(key, 1, Integer::sum);
    }
    int size = first.size();
    String[] ids = new String[size];
    String[] accounts = new String[size];
    String[] numbers = new String[size];
    String[] participants = new String[size];
    Integer[] count = new Integer[size];
    OffsetDateTime[] lastAt = new OffsetDateTime[size];
    String[] previews = new String[size];
    OffsetDateTime[] firstAt = new OffsetDateTime[size];
    int i = 0;
    for (Map.Entry<String, Counted> entry : first.entrySet()) {
      Counted latest = last.get(entry.getKey());
      ids[i] = Ids.next("conv");
      accounts[i] = entry.getValue().accountId();
      numbers[i] = entry.getValue().numberId();
      participants[i] = entry.getValue().participant();
      count[i] = counts.get(entry.getKey());
      lastAt[i] = latest.at();
      previews[i] = latest.preview();
      firstAt[i] = entry.getValue().at();
      i++;
    }
    return tx.preparedQuery("INSERT INTO conversations AS c (id, account_id, phone_number_id, "
            + "participant, message_count, last_message_at, last_message_preview, created_at) "
            + "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], "
            + "$6::timestamptz[], $7::text[], $8::timestamptz[]) "
            + "ON CONFLICT (phone_number_id, participant) DO UPDATE SET "
            + "message_count = c.message_count + EXCLUDED.message_count, "
            + "last_message_at = EXCLUDED.last_message_at, "
            + "last_message_preview = EXCLUDED.last_message_preview, updated_at = now() "
            + "RETURNING id, phone_number_id, participant")
        .execute(Tuple.from(new Object[] {ids, accounts, numbers, participants, count, lastAt,
            previews, firstAt}))
        .map(rows -> {
          Map<String, Threaded> threads = new HashMap<>();
          for (Row row : rows) {
            threads.put(row.getString("phone_number_id") + "\n" + row.getString("participant"),
                Threaded.direct(row.getString("id")));
          }
          List<Threaded> answer = new ArrayList<>(messages.size());
          messages.forEach(message -> answer.add(threads.get(message.key())));
          return answer;
        });
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

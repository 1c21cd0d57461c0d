package dev.agentphone.messaging;

import dev.agentphone.conversations.ConversationWrites;
import dev.agentphone.conversations.ConversationWrites.Threaded;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The messages table: storing a message (threaded into its conversation through the
 * conversations domain's transactional API) and reading pages of them (answered in the shapes of
 * {@link MessageViews}). A message's time is made later than every
 * earlier message of its number, so timestamps are unique per number (and so per conversation)
 * and cursors built from them never skip or repeat a message.
 */
final class MessageStore {
  /** Raised inside a transaction when the provider's message id was already stored. */
  static final class Duplicate extends RuntimeException {
    Duplicate() {
      super("duplicate provider message", null, false, false);
    }
  }

  private MessageStore() {
  }

  /**
   * A message to store; {@code participant} is the other party (not our number), or the group
   * id in a group; {@code to} null means the group the message is threaded into. {@code senderIdentifier} (who in a group sent it), {@code replyToId} (the
   * parent of an inline reply) and {@code sendStyle} may be null.
   */
  record NewMessage(String accountId, String numberId, String participant,
      String direction, String channel, String from, String to, String body,
      List<String> mediaUrls, String status, String providerSid, String senderIdentifier,
      String replyToId, String sendStyle) {
    NewMessage(String accountId, String numberId, String participant, String direction,
        String channel, String from, String to, String body, List<String> mediaUrls,
        String status, String providerSid) {
      this(accountId, numberId, participant, direction, channel, from, to, body, mediaUrls,
          status, providerSid, null, null, null);
    }
  }

  /** How a message at {@code at} is counted in its conversation (see {@link ConversationWrites}). */
  interface Threading {
    Future<Threaded> into(SqlClient tx, OffsetDateTime at, String preview);
  }

  record Stored(String messageId, Threaded thread, OffsetDateTime at) {
    String conversationId() {
      return thread.conversationId();
    }
  }

  /**
   * Inserts the message and counts it in the conversation {@code threading} finds or creates;
   * fails with {@link Duplicate} on a resend.
   */
  static Future<Stored> insert(SqlConnection tx, NewMessage m, Threading threading) {
    // One writer per number at a time (a transaction-scoped advisory lock, not a row lock on the
    // numbers domain's table), so each message's time is strictly after the number's previous one.
    // The lookup is the group commit's statement, planned for its keys as there.
    Database.planEachStatement(tx, true);
    Future<Map<String, OffsetDateTime>> locked = lockNumbers(tx, List.of(m.numberId()));
    Database.planEachStatement(tx, false);
    return locked
        .compose(latest -> insertAt(tx, m, nextTime(latest.get(m.numberId())), threading));
  }

  /**
   * Takes the write lock of each number for the rest of {@code tx} (in sorted order, so two
   * transactions locking several numbers never deadlock) and answers each number's latest
   * message time (absent for a number without messages). Holding the locks, the caller may hand
   * out the numbers' next times itself ({@link #nextTime}).
   */
  static Future<Map<String, OffsetDateTime>> lockNumbers(SqlClient tx, Collection<String> ids) {
    return lockNumbers(tx, ids, List.of()).map(Locked::latest);
  }

  /**
   * What a writer holding its numbers' locks knows: each number's latest message time (absent for
   * a number without messages) and which of the provider ids asked about are stored already.
   */
  record Locked(Map<String, OffsetDateTime> latest, Set<String> stored) {
  }

  /**
   * {@link #lockNumbers(SqlClient, Collection)}, also answering which of {@code sids} are stored
   * already, read in the same statement as the latest times (under the locks).
   */
  static Future<Locked> lockNumbers(SqlClient tx, Collection<String> ids,
      Collection<String> sids) {
    String[] sorted = new TreeSet<>(ids).toArray(new String[0]);
    Future<?> locked = tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended(n, 0)) "
            + "FROM (SELECT n FROM unnest($1::text[]) AS n ORDER BY n) AS numbers")
        .execute(Tuple.of(sorted));
    // sent right behind the locks without waiting: PostgreSQL runs it once they are held, and
    // its snapshot (taken then) sees everything the locks' previous holders committed
    Future<RowSet<Row>> read = tx.preparedQuery("SELECT n, (SELECT max(created_at) "
            + "FROM messages WHERE phone_number_id = n) AS latest, NULL::text AS sid "
            + "FROM unnest($1::text[]) AS n UNION ALL SELECT NULL, NULL, provider_sid "
            + "FROM messages WHERE provider_sid = ANY($2::text[])")
        .execute(Tuple.tuple().addArrayOfString(sorted)
            .addArrayOfString(sids.toArray(new String[0])));
    return locked.compose(held -> read)
        .map(rows -> {
          Map<String, OffsetDateTime> latest = new HashMap<>();
          Set<String> stored = new HashSet<>();
          for (Row row : rows) {
            String sid = row.getString("sid");
            OffsetDateTime at = row.getOffsetDateTime("latest");
            if (sid != null) {
              stored.add(sid);
            } else if (at != null) {
              latest.put(row.getString("n"), at);
            }
          }
          return new Locked(latest, stored);
        });
  }

  /** Now, or one microsecond after {@code latest} when that is not earlier (the database's precision). */
  static OffsetDateTime nextTime(OffsetDateTime latest) {
    OffsetDateTime now = Times.now().truncatedTo(ChronoUnit.MICROS);
    if (latest == null) {
      return now;
    }
    OffsetDateTime after = latest.plus(1, ChronoUnit.MICROS).withOffsetSameInstant(ZoneOffset.UTC);
    return now.isAfter(after) ? now : after;
  }

  /**
   * Inserts the message at {@code at} (the caller holds its number's lock, {@link #lockNumbers})
   * and counts it in the conversation {@code threading} finds or creates; fails with
   * {@link Duplicate} on a resend.
   */
  static Future<Stored> insertAt(SqlClient tx, NewMessage m, OffsetDateTime at,
      Threading threading) {
    String messageId = Ids.next("msg");
    String preview = preview(m.body(), m.mediaUrls());
    return threading.into(tx, at, preview)
        .compose(thread -> tx.preparedQuery("INSERT INTO messages (id, "
                + "account_id, conversation_id, phone_number_id, direction, channel, "
                + "from_number, to_number, body, media_urls, status, provider_sid, created_at, "
                + "sender_identifier, reply_to_id, send_style) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                + "$16) ON CONFLICT (provider_sid) WHERE provider_sid IS NOT NULL DO NOTHING "
                + "RETURNING id")
            .execute(Tuple.from(new Object[] {messageId, m.accountId(),
                thread.conversationId(), m.numberId(), m.direction(), m.channel(), m.from(),
                m.to() != null ? m.to() : thread.groupId(), m.body() == null ? "" : m.body(),
                new JsonArray(m.mediaUrls()), m.status(), m.providerSid(), at,
                m.senderIdentifier(), m.replyToId(), m.sendStyle()}))
            .map(inserted -> {
              if (inserted.size() == 0) {
                throw new Duplicate();
              }
              return new Stored(messageId, thread, at);
            }));
  }

  /**
   * Inserts the messages ({@code stored.get(i)} says where and when {@code messages.get(i)}
   * goes: id, conversation, time) in one statement. The caller holds their numbers' locks and
   * has left out the provider ids stored already: a resend that slipped past that fails the
   * whole statement (a unique violation), so the caller can write the messages one by one.
   */
  static Future<Void> insertAll(SqlClient tx, List<NewMessage> messages, List<Stored> stored) {
    int size = messages.size();
    Object[][] columns = new Object[16][];
    for (int c = 0; c < 12; c++) {
      columns[c] = new String[size];
    }
    columns[12] = new OffsetDateTime[size];
    for (int c = 13; c < 16; c++) {
      columns[c] = new String[size];
    }
    for (int i = 0; i < size; i++) {
      NewMessage m = messages.get(i);
      Stored at = stored.get(i);
      Object[] row = {at.messageId(), m.accountId(), at.conversationId(), m.numberId(),
          m.direction(), m.channel(), m.from(), m.to() != null ? m.to() : at.thread().groupId(),
          m.body() == null ? "" : m.body(), new JsonArray(m.mediaUrls()).encode(), m.status(),
          m.providerSid(), at.at(), m.senderIdentifier(), m.replyToId(), m.sendStyle()};
      for (int c = 0; c < 16; c++) {
        columns[c][i] = row[c];
      }
    }
    return tx.preparedQuery("INSERT INTO messages (id, account_id, conversation_id, "
            + "phone_number_id, direction, channel, from_number, to_number, body, media_urls, "
            + "status, provider_sid, created_at, sender_identifier, reply_to_id, send_style) "
            + "SELECT i, a, c, n, d, ch, f, t, b, m::jsonb, s, p, at, si, r, st "
            + "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
            + "$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], "
            + "$12::text[], $13::timestamptz[], $14::text[], $15::text[], $16::text[]) "
            + "AS x(i, a, c, n, d, ch, f, t, b, m, s, p, at, si, r, st)")
        .execute(Tuple.from(columns))
        .mapEmpty();
  }

  static String preview(String body, List<String> mediaUrls) {
    String text = body == null ? "" : body.strip();
    if (text.isEmpty() && !mediaUrls.isEmpty()) {
      return "[media]";
    }
    if (text.length() <= 100) {
      return text;
    }
    // never split a surrogate pair: half an emoji is stored as '?'
    return text.substring(0, Character.isHighSurrogate(text.charAt(99)) ? 99 : 100);
  }

  /**
   * One page of messages where {@code scopeColumn = scopeId}, newest first. {@code before} pages
   * back in time; {@code after} alone pages forward (the oldest {@code limit} messages after it).
   * {@code hasMore} says whether more exist further in the direction of paging.
   */
  static Future<JsonObject> page(SqlClient client, String accountId, String scopeColumn,
      String scopeId, int limit, OffsetDateTime before, OffsetDateTime after,
      Function<Row, JsonObject> mapper) {
    boolean forward = after != null && before == null;
    String sql = "SELECT " + MessageViews.COLUMNS + " FROM " + MessageViews.TABLES
        + " WHERE m.account_id = $1 AND m." + scopeColumn
        + " = $2 AND ($3::timestamptz IS NULL OR m.created_at < $3) "
        + "AND ($4::timestamptz IS NULL OR m.created_at > $4) ORDER BY m.created_at "
        + (forward ? "ASC, m.id ASC" : "DESC, m.id DESC") + " LIMIT $5";
    return client.preparedQuery(sql)
        .execute(Tuple.of(accountId, scopeId, before, after, limit + 1))
        .map(rows -> {
          List<JsonObject> items = new ArrayList<>();
          for (Row row : rows) {
            if (items.size() < limit) {
              items.add(mapper.apply(row));
            }
          }
          if (forward) {
            Collections.reverse(items);
          }
          return new JsonObject().put("data", new JsonArray(new ArrayList<>(items)))
              .put("hasMore", rows.size() > limit);
        });
  }
}

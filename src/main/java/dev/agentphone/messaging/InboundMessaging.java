package dev.agentphone.messaging;

import dev.agentphone.conversations.ConversationWrites;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersApi.ActiveNumber;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Outbox;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What providers report: inbound SMS/MMS/iMessage (stored with their {@code agent.message} event
 * in one transaction, shared with the messages that arrived meanwhile: {@link GroupCommit}),
 * tapbacks from the other party, and delivery updates of what we sent. An inbound message is
 * routed from the node's {@link RouteCache}; its route is checked again, and its sender's
 * contact read, in the transaction that writes it.
 */
final class InboundMessaging {
  /** Twilio's message statuses in the order they happen; a late callback never goes backwards. */
  private static final Map<String, Integer> STATUS_RANK = Map.of("accepted", 0, "queued", 0,
      "sending", 1, "sent", 2, "delivered", 3, "undelivered", 3, "failed", 3, "read", 4);

  private final Pool pool;
  private final NumbersApi numbers;
  private final RouteCache routes;
  private final GroupCommit commits;

  InboundMessaging(Pool pool, NumbersApi numbers) {
    this.pool = pool;
    this.commits = new GroupCommit(pool);
    this.numbers = numbers;
    this.routes = new RouteCache(numbers);
  }

  /** Where inbound messages are routed from, kept current by the numbers' changes. */
  RouteCache routes() {
    return routes;
  }

  /** Our active number with this phone number, whichever account has it; else 404. */
  private static Future<ActiveNumber> found(Future<ActiveNumber> route, String phoneNumber) {
    return route.map(number -> {
      if (number == null) {
        throw ApiError.notFound("Phone number " + phoneNumber);
      }
      return number;
    });
  }

  private Future<ActiveNumber> activeNumber(String phoneNumber) {
    return found(numbers.routeInbound(phoneNumber), phoneNumber);
  }

  /** An inbound message as a provider reported it. */
  private record Arrived(String sid, String from, String to, String body, List<String> media,
      String group, String replyTo) {
  }

  /**
   * {@code {messageSid, from, to, body, mediaUrls, group?, replyTo?}} from a provider: in an
   * iMessage group {@code group} names it (our id or the carrier's), and {@code replyTo} the
   * parent of an inline reply (ours or the carrier's id). A resent {@code messageSid} answers the
   * stored message and records nothing new.
   */
  Future<JsonObject> inbound(JsonObject request) {
    String sid = request.getString("messageSid");
    String to = request.getString("to");
    Arrived message = new Arrived(sid, request.getString("from"), to,
        request.getString("body", ""), strings(request.getJsonArray("mediaUrls")),
        request.getString("group"), request.getString("replyTo"));
    // its place in the arrival order is taken now, before the lookups
    GroupCommit.Ticket ticket = commits.arrive(to == null ? "" : to);
    return written(ticket, message, to == null ? Future.succeededFuture(null) : routes.route(to))
        .recover(failure -> failure instanceof MessageStore.Duplicate
            ? pool.preparedQuery("SELECT id, conversation_id FROM messages WHERE provider_sid = $1")
                .execute(Tuple.of(sid))
                .map(rows -> {
                  Row row = rows.iterator().next();
                  return new JsonObject().put("messageId", row.getString("id"))
                      .put("conversationId", row.getString("conversation_id"))
                      .put("duplicate", true);
                })
            : Future.failedFuture(failure));
  }

  /**
   * The message written under {@code route}; should the route have changed by then, routed
   * again from the database, keeping its place.
   */
  private Future<JsonObject> written(GroupCommit.Ticket ticket, Arrived message,
      Future<ActiveNumber> route) {
    return found(route, message.to()).map(number -> write(number, message))
        .onFailure(lookupFailed -> ticket.cancel())
        .compose(ticket::ready)
        .recover(failure -> failure instanceof GroupCommit.StaleRoute
            ? written(ticket, message, routes.stale(message.to(), route.result()))
            : Future.failedFuture(failure));
  }

  private static GroupCommit.Write write(ActiveNumber number, Arrived in) {
    String accountId = number.accountId();
    boolean imessage = "imessage".equals(number.type());
    String group = in.group();
    String from = in.from();
    if (!imessage && (group != null || in.replyTo() != null)) {
      throw ApiError.badRequest("Groups and inline replies are iMessage features: "
          + number.phoneNumber() + " is an SMS line");
    }
    String channel = imessage ? "imessage" : in.media().isEmpty() ? "sms" : "mms";
    MessageStore.NewMessage message = new MessageStore.NewMessage(accountId, number.id(),
        group == null ? from : group, "inbound", channel, from,
        group == null ? number.phoneNumber() : null, in.body(), in.media(), "received",
        in.sid(), group == null ? null : from, null, null);
    return new GroupCommit.Write() {
      @Override
      public String numberId() {
        return number.id();
      }

      @Override
      public GroupCommit.Route route() {
        return new GroupCommit.Route(accountId, number.agentId(), from);
      }

      @Override
      public Future<JsonObject> apply(SqlConnection tx, OffsetDateTime at, JsonObject contact) {
        return store(tx, message, at, group)
            .compose(stored -> threadUnder(tx, accountId, number.id(), from, in.replyTo(),
                    stored)
                .compose(parent -> Outbox.insert(tx, new Outbox.Event(accountId,
                    number.agentId(), "agent.message", channel, stored.conversationId(),
                    event(stored, number, from, contact, in.body(), in.media(), parent),
                    stored.at())))
                .map(eventId -> answer(stored)));
      }

      @Override
      public MessageBatch.Row row() {
        // a group message finds its group, a reply its parent: those go one by one
        return group != null || in.replyTo() != null ? null : new MessageBatch.Row(message,
            number.agentId(), (stored, contact) -> event(stored, number, from, contact,
                in.body(), in.media(), null), InboundMessaging::answer);
      }
    };
  }

  private static JsonObject answer(MessageStore.Stored stored) {
    return new JsonObject().put("messageId", stored.messageId())
        .put("conversationId", stored.conversationId()).put("duplicate", false);
  }

  private static Future<MessageStore.Stored> store(SqlClient tx, MessageStore.NewMessage message,
      OffsetDateTime at, String group) {
    return group == null
        ? MessageStore.insertAt(tx, message, at, (client, time, preview) -> ConversationWrites
            .recordMessage(client, message.accountId(), message.numberId(),
                message.participant(), time, preview))
        : MessageStore.insertAt(tx, message, at, (client, time, preview) -> ConversationWrites
            .recordInGroup(client, message.accountId(), message.numberId(), group, time,
                preview));
  }

  /**
   * Links the stored message to the parent it replies to when that parent is in the same chat;
   * a reply to something we do not know is kept as a plain message.
   */
  private static Future<ReplyParent> threadUnder(SqlClient tx, String accountId,
      String numberId, String from, String replyTo, MessageStore.Stored stored) {
    if (replyTo == null) {
      return Future.succeededFuture(null);
    }
    String chat = stored.thread().group() ? stored.thread().groupId() : from;
    return ReplyParent.find(tx, accountId, replyTo, numberId, chat).compose(parent ->
        parent == null || parent.id().equals(stored.messageId()) ? Future.succeededFuture(null)
            : tx.preparedQuery("UPDATE messages SET reply_to_id = $2 WHERE id = $1")
                .execute(Tuple.of(stored.messageId(), parent.id())).map(parent));
  }

  /**
   * The {@code agent.message} data; a group message adds {@code isGroup, groupId, groupName,
   * participants, senderIdentifier}, an inline reply {@code replyTo}.
   */
  private static JsonObject event(MessageStore.Stored stored, ActiveNumber number, String from,
      JsonObject contact, String body, List<String> media, ReplyParent parent) {
    JsonObject data = new JsonObject()
        .put("messageId", stored.messageId())
        .put("conversationId", stored.conversationId())
        .put("numberId", number.id())
        .put("from", from)
        .put("to", number.phoneNumber())
        .put("contact", contact)
        .put("message", body)
        .put("mediaUrl", media.isEmpty() ? null : media.get(0))
        .put("mediaUrls", new JsonArray(media))
        .put("direction", "inbound")
        .put("receivedAt", Times.format(stored.at()));
    ConversationWrites.Threaded thread = stored.thread();
    if (thread.group()) {
      data.put("isGroup", true).put("groupId", thread.groupId())
          .put("groupName", thread.groupName()).put("participants", thread.participants())
          .put("senderIdentifier", from);
    }
    if (parent != null) {
      data.put("replyTo", MessageViews.replyTo(parent.id(), parent.body(), parent.mediaUrls()));
    }
    return data;
  }

  /** {@code {from, to, messageId, reaction}}: a tapback from the other party on one of our messages. */
  Future<JsonObject> inboundReaction(JsonObject request) {
    String from = request.getString("from");
    String reaction = request.getString("reaction");
    return activeNumber(request.getString("to")).compose(number -> pool.preparedQuery(
            "SELECT id, conversation_id, channel, body FROM messages WHERE id = $1 "
                + "AND phone_number_id = $2")
        .execute(Tuple.of(request.getString("messageId"), number.id()))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Message");
          }
          Row message = rows.iterator().next();
          if (!"imessage".equals(message.getString("channel"))) {
            throw ApiError.badRequest("Reactions are an iMessage feature; this message went "
                + "over " + message.getString("channel").toUpperCase());
          }
          String accountId = number.accountId();
          String reactionId = Ids.next("rxn");
          var at = Times.now();
          return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO message_reactions "
                  + "(id, account_id, message_id, reaction_type, direction, from_number, created_at) "
                  + "VALUES ($1, $2, $3, $4, 'inbound', $5, $6)")
              .execute(Tuple.of(reactionId, accountId, message.getString("id"), reaction, from, at))
              .compose(r -> Outbox.record(tx, new Outbox.Event(accountId,
                  number.agentId(), "agent.reaction", "imessage",
                  message.getString("conversation_id"), new JsonObject()
                  .put("conversationId", message.getString("conversation_id"))
                  .put("numberId", number.id())
                  .put("reactionType", reaction)
                  .put("fromNumber", from)
                  .put("direction", "inbound")
                  .put("messageId", message.getString("id"))
                  .put("messageBody", message.getString("body"))
                  .put("createdAt", Times.format(at)), at))))
              .map(eventId -> new JsonObject().put("id", reactionId)
                  .put("reaction_type", reaction).put("message_id", message.getString("id"))
                  .put("channel", "imessage"));
        }));
  }

  /** A delivery update: {@code {messageId?, messageSid, status, errorCode?}}. */
  Future<JsonObject> status(JsonObject request) {
    String status = request.getString("status");
    Integer rank = STATUS_RANK.get(status);
    if (rank == null) {
      return Future.succeededFuture(new JsonObject().put("updated", 0));
    }
    return pool.preparedQuery("UPDATE messages SET status = $3, "
            + "error_code = coalesce($4, error_code) WHERE direction = 'outbound' "
            + "AND (id = $1 OR provider_sid = $2) AND (CASE status WHEN 'accepted' THEN 0 "
            + "WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 "
            + "WHEN 'read' THEN 4 ELSE 3 END) <= $5")
        .execute(Tuple.of(request.getString("messageId"), request.getString("messageSid"), status,
            request.getString("errorCode"), rank))
        .map(rows -> new JsonObject().put("updated", rows.rowCount()));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}

package dev.agentphone.messaging;

import dev.agentphone.contacts.ContactsApi;
import dev.agentphone.conversations.ConversationWrites;
import dev.agentphone.numbers.NumbersApi.ActiveNumber;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.providers.telephony.Telephony.OutboundMessage;
import dev.agentphone.providers.telephony.Telephony.SentMessage;
import dev.agentphone.usage.MessageQuota;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What we send: SMS/MMS through the phone company, iMessages (one-to-one, to a group, starting a
 * group; with effects and inline replies) through the iMessage carrier. What the line cannot do
 * is refused with 400 before anything is stored.
 */
final class OutboundMessaging {
  /** Twilio takes at most 10 media per MMS. */
  static final int MAX_MMS_MEDIA = 10;

  private final Pool pool;
  private final Telephony telephony;
  private final IMessage imessage;
  private final MessageQuota quota;
  private final SendingLine lines;
  private final ContactsApi contacts;
  private final SmsPermission smsPermission;

  OutboundMessaging(Pool pool, Telephony telephony, IMessage imessage, MessageQuota quota,
      SendingLine lines, ContactsApi contacts, SmsPermission smsPermission) {
    this.pool = pool;
    this.telephony = telephony;
    this.imessage = imessage;
    this.quota = quota;
    this.lines = lines;
    this.contacts = contacts;
    this.smsPermission = smsPermission;
  }

  /** What one send is about, once its line and destination are known. */
  private record Outgoing(String accountId, ActiveNumber line, Destination to, String body,
      List<String> media, String sendStyle, String replyTo, ReplyParent parent,
      JsonArray members) {
    boolean viaIMessage() {
      return "imessage".equals(line.type());
    }

    String channel() {
      return viaIMessage() ? "imessage" : media.isEmpty() ? "sms" : "mms";
    }
  }

  /**
   * {@code MessagingApi.Send} with {@code accountId}. The message is stored as queued before the
   * provider is called, so a fast status callback always finds it; a provider refusal marks it
   * failed and is answered to the caller.
   */
  Future<JsonObject> send(JsonObject request) {
    String accountId = request.getString("accountId");
    List<String> media = strings(request.getJsonArray("mediaUrls"));
    JsonArray recipients = request.getJsonArray("recipients");
    String body = Objects.requireNonNullElse(request.getString("body"), "");
    String sendStyle = request.getString("sendStyle");
    String replyTo = request.getString("replyToMessageId");
    return lines.choose(accountId, request.getString("agentId"), request.getString("numberId"),
            request.getString("fromNumber"))
        .compose(line -> {
          Destination to = Destination.of(line, request.getString("toNumber"),
              recipients == null ? null : strings(recipients));
          refuseWhatTheLineCannotDo(line, body, media, sendStyle);
          boolean viaIMessage = "imessage".equals(line.type());
          Future<ReplyParent> parent = replyTo == null || !viaIMessage || to.startsGroup()
              ? Future.succeededFuture(null)
              : ReplyParent.find(pool, accountId, replyTo, line.id(), to.participant());
          Future<JsonArray> members = to.startsGroup() ? members(accountId, to.members())
              : Future.succeededFuture(null);
          // an SMS to a US number may need the account's A2P 10DLC registration first
          Future<Void> registered = viaIMessage ? Future.succeededFuture()
              : smsPermission.check(accountId, to.participant());
          return Future.all(parent, members, registered).compose(both -> send(new Outgoing(accountId, line,
              to, body, media, sendStyle, replyTo, parent.result(), members.result())));
        });
  }

  private void refuseWhatTheLineCannotDo(ActiveNumber line, String body, List<String> media,
      String sendStyle) {
    if ("imessage".equals(line.type())) {
      if (media.size() >= 2 && !body.isBlank()) {
        throw ApiError.badRequest("Several media_urls on iMessage are sent as a carousel, "
            + "which carries no text: leave body empty and send the text as its own message");
      }
      if (imessage == null) {
        throw IMessage.notConfigured();
      }
      return;
    }
    if (sendStyle != null) {
      throw ApiError.badRequest("send_style is an iMessage effect: " + line.phoneNumber()
          + " is an SMS line, so nothing was sent. Send without send_style, or from an "
          + "iMessage number.");
    }
    if (media.size() > MAX_MMS_MEDIA) {
      throw ApiError.badRequest("An MMS carries at most " + MAX_MMS_MEDIA + " media_urls, got "
          + media.size());
    }
  }

  /** The members of a new group as {@code [{identifier, name}]}, named after their contacts. */
  private Future<JsonArray> members(String accountId, List<String> identifiers) {
    List<Future<JsonObject>> named = new ArrayList<>();
    for (String identifier : identifiers) {
      named.add(identifier.contains("@") ? Future.succeededFuture(null)
          : contacts.byNumber(accountId, identifier));
    }
    return Future.all(named).map(all -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < identifiers.size(); i++) {
        JsonObject contact = all.resultAt(i);
        out.add(new JsonObject().put("identifier", identifiers.get(i))
            .put("name", contact == null ? null : contact.getString("name")));
      }
      return out;
    });
  }

  private Future<JsonObject> send(Outgoing out) {
    String from = out.line().phoneNumber();
    String groupId = out.to().startsGroup() ? Ids.next("grp") : null;
    String participant = groupId != null ? groupId : out.to().participant();
    MessageStore.NewMessage message = new MessageStore.NewMessage(out.accountId(),
        out.line().id(), participant, "outbound", out.channel(), from, participant, out.body(),
        out.media(), "queued", null, out.to().group() ? from : null,
        out.parent() == null ? null : out.parent().id(), out.sendStyle());
    // the plan's monthly quota is checked and the message stored in one step
    return pool.withTransaction(tx -> quota.check(tx, out.accountId())
            .compose(v -> MessageStore.insert(tx, message, (client, at, preview) -> {
              if (groupId != null) {
                return ConversationWrites.startGroup(client, out.accountId(), out.line().id(),
                    groupId, out.members(), at, preview);
              }
              if (out.to().group()) {
                return ConversationWrites.recordInGroup(client, out.accountId(),
                    out.line().id(), participant, at, preview).map(OutboundMessaging::chatKnown);
              }
              return ConversationWrites.recordMessage(client, out.accountId(), out.line().id(),
                  participant, at, preview);
            })))
        .compose(stored -> deliver(out, stored)
            .compose(sent -> pool.preparedQuery("UPDATE messages SET provider_sid = $2, "
                    + "status = CASE WHEN status = 'queued' THEN $3 ELSE status END "
                    + "WHERE id = $1 RETURNING status")
                .execute(Tuple.of(stored.messageId(), sent.sid(), sent.status()))
                .map(updated -> new JsonObject()
                    .put("id", stored.messageId())
                    .put("status", updated.iterator().next().getString("status"))
                    .put("channel", out.channel())
                    .put("from_number", from)
                    .put("to_number", participant)
                    .put("conversation_id", stored.conversationId())
                    .put("media_urls", new JsonArray(List.copyOf(out.media())))
                    .put("reply_to_message_id", out.replyTo())
                    .put("reply_parent_unresolved", out.replyTo() == null ? null
                        : out.parent() == null)))
            .recover(failure -> pool.preparedQuery("UPDATE messages SET status = 'failed', "
                    + "error_message = $2 WHERE id = $1")
                .execute(Tuple.of(stored.messageId(), failure.getMessage()))
                .transform(r -> Future.failedFuture(failure))));
  }

  private static ConversationWrites.Threaded chatKnown(ConversationWrites.Threaded group) {
    if (group.groupChat() == null) {
      throw ApiError.conflict("The group " + group.groupId() + " has no chat at the carrier: "
          + "the message that started it was not delivered. Start the group again with "
          + "recipients.");
    }
    return group;
  }

  private Future<SentMessage> deliver(Outgoing out, MessageStore.Stored stored) {
    String from = out.line().phoneNumber();
    ConversationWrites.Threaded thread = stored.thread();
    if (!out.viaIMessage()) {
      return telephony.send(new OutboundMessage(out.accountId(), stored.messageId(), from,
          out.to().participant(), out.body(), out.media()));
    }
    String chat = out.to().startsGroup() ? null
        : thread.group() ? thread.groupChat() : out.to().participant();
    return imessage.send(new IMessage.Outbound(out.accountId(), stored.messageId(), from, chat,
            out.to().members(), out.body(), out.media(), out.sendStyle(),
            out.parent() == null ? null : out.parent().sid()))
        .compose(sent -> (sent.groupChat() == null ? Future.<Void>succeededFuture()
            : ConversationWrites.setGroupChat(pool, out.accountId(), thread.conversationId(),
                sent.groupChat()))
            .map(v -> new SentMessage(sent.sid(), sent.status())));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}

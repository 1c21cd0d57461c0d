package dev.agentphone.conversations;

import dev.agentphone.egress.GuardedDownload;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.imessage.IMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Objects;

/**
 * What a conversation asks of the iMessage carrier besides messages: typing indicators, chat
 * backgrounds and group names. Each is refused with 400 on an SMS line, 501 where no iMessage
 * carrier is configured, and recorded on the conversation once the carrier took it.
 */
final class ChatControls {
  private final Pool pool;
  private final NumbersApi numbers;
  private final IMessage imessage;
  private final GuardedDownload download;

  ChatControls(Pool pool, NumbersApi numbers, IMessage imessage, GuardedDownload download) {
    this.pool = pool;
    this.numbers = numbers;
    this.imessage = imessage;
    this.download = download;
  }

  /** A conversation as the carrier knows it: our line's number and the chat (person or group). */
  private record Chat(Row row, String from, String target) {
    String id() {
      return row.getString("id");
    }
  }

  /** The conversation's chat, when its line is an active iMessage number with a carrier. */
  private Future<Chat> chat(String accountId, String conversationId, String feature) {
    return ConversationsVerticle.find(pool, accountId, conversationId).compose(row -> numbers
        .findActive(accountId, row.getString("phone_number_id"))
        .recover(failure -> Future.failedFuture(failure instanceof ApiError e && e.status() == 404
            ? ApiError.badRequest("The number of conversation " + conversationId + " was "
                + "released: " + feature + " needs an active line") : failure))
        .map(number -> {
          if (!"imessage".equals(number.type())) {
            throw ApiError.badRequest(capitalized(feature) + " is an iMessage feature: "
                + "conversation " + conversationId + " is on the SMS line "
                + number.phoneNumber());
          }
          if (imessage == null) {
            throw IMessage.notConfigured();
          }
          boolean group = row.getBoolean("is_group");
          String target = group ? row.getString("carrier_chat_id") : row.getString("participant");
          if (target == null) {
            throw ApiError.conflict("The group " + row.getString("participant") + " has no "
                + "chat at the carrier: the message that started it was not delivered");
          }
          return new Chat(row, number.phoneNumber(), target);
        }));
  }

  /** {@code {accountId, conversationId}}: "typing…" in the chat; {@code SendTypingResponse}. */
  Future<JsonObject> typing(JsonObject request) {
    String accountId = request.getString("accountId");
    return chat(accountId, request.getString("conversationId"), "a typing indicator")
        .compose(chat -> imessage.typing(accountId, chat.from(), chat.target())
            .compose(v -> pool.preparedQuery("UPDATE conversations SET typing_sent_at = now() "
                    + "WHERE account_id = $1 AND id = $2")
                .execute(Tuple.of(accountId, chat.id())))
            .map(r -> new JsonObject().put("conversationId", chat.id())
                .put("channel", "imessage").put("status", "sent")));
  }

  /**
   * {@code {accountId, conversationId, imageUrl}}: fetches the image (through the SSRF guard),
   * checks it and hands it to the carrier; the same image again changes nothing. Answers
   * {@code SetBackgroundResponse}.
   */
  Future<JsonObject> setBackground(JsonObject request) {
    String accountId = request.getString("accountId");
    String url = request.getString("imageUrl");
    refuseUnlessImageUrl(url);
    return chat(accountId, request.getString("conversationId"), "a chat background")
        .compose(chat -> download.get(url, BackgroundImage.MAX_BYTES)
            .recover(failure -> Future.failedFuture(failure instanceof GuardedDownload.Failed
                ? ApiError.badRequest("image_url could not be used: " + failure.getMessage())
                : failure))
            .compose(fetched -> {
              IMessage.Image image = BackgroundImage.of(fetched.body().getBytes());
              Row row = chat.row();
              if (row.getString("background_id") != null
                  && image.sha256().equals(row.getString("background_sha256"))) {
                return Future.succeededFuture(background(chat.id(),
                    row.getString("background_id"), row.getInteger("background_version"), false));
              }
              return imessage.setBackground(accountId, chat.from(), chat.target(), image)
                  .compose(backgroundId -> pool.preparedQuery("UPDATE conversations SET "
                          + "background_id = $3, background_sha256 = $4, "
                          + "background_version = background_version + 1, "
                          + "background_set_at = now() WHERE account_id = $1 AND id = $2 "
                          + "RETURNING background_version")
                      .execute(Tuple.of(accountId, chat.id(), backgroundId, image.sha256()))
                      .map(rows -> background(chat.id(), backgroundId,
                          rows.iterator().next().getInteger("background_version"), true)));
            }));
  }

  /** https, or http too where private targets are allowed (test servers on loopback). */
  private void refuseUnlessImageUrl(String url) {
    String problem = SsrfGuard.formProblem(url);
    boolean https = url.regionMatches(true, 0, "https://", 0, 8);
    if (problem == null && !https && !download.allowsPrivateTargets()) {
      problem = "image_url must be an https URL";
    }
    if (problem != null) {
      throw ApiError.invalid(new JsonArray().add("body").add("image_url"), "url_parsing",
          problem);
    }
  }

  private static JsonObject background(String conversationId, String backgroundId,
      Integer version, boolean changed) {
    return new JsonObject().put("conversationId", conversationId).put("channel", "imessage")
        .put("hasBackground", true).put("backgroundId", backgroundId)
        .put("backgroundVersion", version).put("changed", changed);
  }

  /** {@code {accountId, conversationId}}: back to the default background; a no-op when set none. */
  Future<Void> removeBackground(JsonObject request) {
    String accountId = request.getString("accountId");
    return chat(accountId, request.getString("conversationId"), "a chat background")
        .compose(chat -> chat.row().getString("background_id") == null
            ? Future.succeededFuture()
            : imessage.removeBackground(accountId, chat.from(), chat.target())
                .compose(v -> pool.preparedQuery("UPDATE conversations SET background_id = NULL, "
                        + "background_sha256 = NULL, background_set_at = now() "
                        + "WHERE account_id = $1 AND id = $2")
                    .execute(Tuple.of(accountId, chat.id())))
                .mapEmpty());
  }

  /**
   * Renames the group at the carrier before the name is stored (null removes it); a name it
   * already has is not sent again. 400 for a one-to-one conversation.
   */
  Future<Void> rename(String accountId, Row row, String name) {
    if (!row.getBoolean("is_group")) {
      return Future.failedFuture(ApiError.badRequest("group_name applies to group "
          + "conversations only: conversation " + row.getString("id") + " is one-to-one"));
    }
    if (Objects.equals(name, row.getString("group_name"))) {
      return Future.succeededFuture();
    }
    return chat(accountId, row.getString("id"), "a group name")
        .compose(chat -> imessage.renameGroup(accountId, chat.from(), chat.target(), name));
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}

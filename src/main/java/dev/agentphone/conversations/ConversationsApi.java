package dev.agentphone.conversations;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The conversations domain's published API over the event bus, scoped to {@code accountId}
 * (another account's conversation is not found, 404).
 */
public final class ConversationsApi {
  static final String LIST = "conversations.list";
  static final String GET = "conversations.get";
  static final String UPDATE = "conversations.update";
  static final String MESSAGES = "conversations.messages";
  static final String CONTEXT = "conversations.context";
  static final String TYPING = "conversations.typing";
  static final String SET_BACKGROUND = "conversations.set-background";
  static final String REMOVE_BACKGROUND = "conversations.remove-background";
  static final String WITH_PARTICIPANT = "conversations.with-participant";

  private final Vertx vertx;

  public ConversationsApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Newest activity first; with {@code agentId}, only the conversations of its numbers. */
  public Future<JsonObject> list(String accountId, String agentId, int limit, int offset) {
    return Bus.request(vertx, LIST, Bus.scope(accountId).put("agentId", agentId).put("limit", limit)
        .put("offset", offset));
  }

  /** {@code ConversationDetail} with its {@code messageLimit} newest messages. */
  public Future<JsonObject> get(String accountId, String conversationId, int messageLimit) {
    return Bus.request(vertx, GET, Bus.scope(accountId).put("conversationId", conversationId)
        .put("messageLimit", messageLimit));
  }

  /** Sets the metadata when {@code changeMetadata} (null clears it); otherwise changes nothing. */
  public Future<JsonObject> update(String accountId, String conversationId, JsonObject metadata,
      boolean changeMetadata) {
    return update(accountId, conversationId, metadata, changeMetadata, null, false);
  }

  /**
   * Sets the metadata when {@code changeMetadata} and renames the group (at the carrier too) when
   * {@code changeGroupName}; null clears either. A group name on a one-to-one conversation is 400.
   */
  public Future<JsonObject> update(String accountId, String conversationId, JsonObject metadata,
      boolean changeMetadata, String groupName, boolean changeGroupName) {
    return Bus.request(vertx, UPDATE, Bus.scope(accountId).put("conversationId", conversationId)
        .put("metadata", metadata).put("changeMetadata", changeMetadata)
        .put("groupName", groupName).put("changeGroupName", changeGroupName));
  }

  /** Shows "typing…" in the chat (iMessage only): {@code SendTypingResponse}. */
  public Future<JsonObject> typing(String accountId, String conversationId) {
    return Bus.request(vertx, TYPING, Bus.scope(accountId).put("conversationId", conversationId));
  }

  /** Sets the chat's wallpaper from {@code imageUrl} (iMessage only): {@code SetBackgroundResponse}. */
  public Future<JsonObject> setBackground(String accountId, String conversationId,
      String imageUrl) {
    return Bus.request(vertx, SET_BACKGROUND, Bus.scope(accountId)
        .put("conversationId", conversationId).put("imageUrl", imageUrl));
  }

  /** Back to the default wallpaper (iMessage only); idempotent. */
  public Future<Void> removeBackground(String accountId, String conversationId) {
    return Bus.request(vertx, REMOVE_BACKGROUND, Bus.scope(accountId)
        .put("conversationId", conversationId));
  }

  /** A page of the conversation's messages; {@code before}/{@code after}: ISO timestamps or null. */
  public Future<JsonObject> messages(String accountId, String conversationId, int limit,
      String before, String after) {
    return Bus.request(vertx, MESSAGES, Bus.scope(accountId).put("conversationId", conversationId)
        .put("limit", limit).put("before", before).put("after", after));
  }

  /**
   * What a webhook event about the conversation carries: {@code {metadata, recentHistory}} with
   * up to {@code limit} messages, oldest first, ending at {@code beforeOrAt} (a message id) when
   * given. The answer takes at most {@code timeoutMillis}.
   */
  public Future<JsonObject> context(String accountId, String conversationId, int limit,
      String beforeOrAt, long timeoutMillis) {
    JsonObject request = Bus.scope(accountId).put("conversationId", conversationId)
        .put("limit", limit);
    if (beforeOrAt != null) {
      request.put("beforeOrAt", beforeOrAt);
    }
    return Bus.request(vertx, CONTEXT, request, timeoutMillis);
  }

  /** Whether any of the account's numbers has a conversation with {@code participant}. */
  public Future<Boolean> withParticipant(String accountId, String participant) {
    return Bus.request(vertx, WITH_PARTICIPANT, Bus.scope(accountId)
        .put("participant", participant));
  }
}

package dev.agentphone.conversations;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

/**
 * The messages of a conversation, as the conversations domain shows them. Declared here and
 * provided by the messaging domain at start-up (messaging owns the messages and writes
 * conversations; conversations never depends on it).
 */
public interface MessageHistory {
  /**
   * One page of the conversation's messages ({@code MessageInConversation}), newest first:
   * {@code {data, hasMore}}. {@code before} pages back in time; {@code after} alone pages forward.
   */
  Future<JsonObject> page(String accountId, String conversationId, int limit,
      OffsetDateTime before, OffsetDateTime after);

  /**
   * Up to {@code limit} messages as {@code [{messageId, content, direction, channel, at}]},
   * oldest first, up to and including {@code beforeOrAt} (a message id) when it is given.
   */
  Future<JsonArray> recent(String accountId, String conversationId, int limit, String beforeOrAt);
}

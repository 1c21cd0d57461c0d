package dev.agentphone.messaging;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.time.OffsetDateTime;
import java.util.List;

/** The messaging domain's storing of a message, for the benchmark's raw-database side. */
public final class BenchSql {
  private BenchSql() {
  }

  /** What was stored: the message, its conversation and its time. */
  public record Stored(String messageId, String conversationId, OffsetDateTime at) {
  }

  /** Stores an inbound SMS in {@code tx} exactly as an inbound message is stored. */
  public static Future<Stored> storeInbound(SqlConnection tx, String accountId, String numberId,
      String from, String to, String body, String providerSid) {
    return MessageStore.insert(tx, new MessageStore.NewMessage(accountId, numberId, from,
            "inbound", "sms", from, to, body, List.of(), "received", providerSid),
            (client, at, preview) -> dev.agentphone.conversations.ConversationWrites
                .recordMessage(client, accountId, numberId, from, at, preview))
        .map(stored -> new Stored(stored.messageId(), stored.conversationId(), stored.at()));
  }
}

package dev.agentphone.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The parent of an inline reply: a message of the same chat (our number and the same other
 * party or group) that the carrier knows, so the reply can be threaded under it.
 */
record ReplyParent(String id, String sid, String body, JsonArray mediaUrls) {

  /**
   * The message {@code messageId} (ours, or the carrier's id for it) when it is in the chat of
   * {@code numberId} with {@code participant} and reached the carrier; else null. Another
   * account's message is never found, so its id reveals nothing.
   */
  static Future<ReplyParent> find(SqlClient client, String accountId, String messageId,
      String numberId, String participant) {
    return client.preparedQuery("SELECT id, provider_sid, body, media_urls FROM messages "
            + "WHERE account_id = $1 AND phone_number_id = $3 AND (id = $2 OR provider_sid = $2) "
            + "AND (from_number = $4 OR to_number = $4) AND provider_sid IS NOT NULL LIMIT 1")
        .execute(Tuple.of(accountId, messageId, numberId, participant))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new ReplyParent(row.getString("id"), row.getString("provider_sid"),
              row.getString("body"), row.getJsonArray("media_urls"));
        });
  }
}

package dev.agentphone.providers.email;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import dev.agentphone.platform.Times;

/** Sandbox mode's mail server: emails are kept in the database and listed at /sandbox/emails. */
public final class SandboxOutbox implements EmailSender {
  private final Pool pool;

  public SandboxOutbox(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> send(String to, String subject, String text) {
    return pool.preparedQuery(
            "INSERT INTO sandbox_emails (to_address, subject, body) VALUES ($1, $2, $3)")
        .execute(Tuple.of(to, subject, text)).mapEmpty();
  }

  /** Newest first; {@code to} filters by recipient when given. */
  public static Future<JsonArray> list(Pool pool, String to, int limit) {
    return pool.preparedQuery("SELECT to_address, subject, body, sent_at FROM sandbox_emails "
            + "WHERE ($1::text IS NULL OR lower(to_address) = lower($1)) "
            + "ORDER BY id DESC LIMIT $2")
        .execute(Tuple.of(to, limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row row : rows) {
            out.add(new JsonObject()
                .put("to", row.getString("to_address"))
                .put("subject", row.getString("subject"))
                .put("text", row.getString("body"))
                .put("sentAt", Times.format(row.getOffsetDateTime("sent_at"))));
          }
          return out;
        });
  }
}

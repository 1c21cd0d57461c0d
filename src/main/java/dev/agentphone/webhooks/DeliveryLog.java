package dev.agentphone.webhooks;

import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/** Reading the delivery log: pages (an account's or an agent's), stats over hours, all-time. */
final class DeliveryLog {
  /** A delivery's columns, as {@link #toJson} reads them. */
  static final String COLUMNS = "id, message_id, event_type, channel, status, "
      + "http_status, error_message, response_body, attempt_count, last_attempt_at, "
      + "next_attempt_at, created_at";
  /** A delivery {@code d}'s columns and how long its last attempt took. */
  private static final String PAGE_COLUMNS = "d.id, d.message_id, d.event_type, d.channel, "
      + "d.status, d.http_status, d.error_message, d.response_body, d.attempt_count, "
      + "d.last_attempt_at, d.next_attempt_at, d.created_at, (SELECT a.duration_ms "
      + "FROM webhook_attempts a WHERE a.delivery_id = d.id ORDER BY a.attempt DESC LIMIT 1) "
      + "AS response_ms";

  private DeliveryLog() {
  }

  /**
   * A {@code PaginatedDeliveriesResponse} of the account's deliveries, or of those that went to
   * {@code agentId}'s own webhook; {@code hours} null means all of them, {@code status} null all
   * statuses ({@code failed}: the dead letters).
   *
   * <p>The page carries the delivery log twice: {@code items} (the contract's
   * {@code WebhookDeliveryResponse}s, with {@code total, offset, limit}) and {@code data} with
   * {@code hasMore}, the summary the official MCP server reads
   * ({@code id, event, success, statusCode, deliveredAt, responseMs}).
   */
  static Future<JsonObject> page(Pool pool, String accountId, String agentId, int limit,
      int offset, Integer hours, String status) {
    StringBuilder where = new StringBuilder(" WHERE d.account_id = $1");
    Tuple scope = Tuple.of(accountId);
    if (agentId != null) {
      scope.addValue(agentId);
      where.append(" AND d.agent_id = $").append(scope.size()).append(" AND d.agent_webhook");
    }
    if (hours != null) {
      scope.addValue(hours);
      where.append(" AND d.created_at >= now() - $").append(scope.size())
          .append("::int * interval '1 hour'");
    }
    if (status != null) {
      scope.addValue(status);
      where.append(" AND d.status = $").append(scope.size());
    }
    int next = scope.size();
    Future<RowSet<Row>> found = pool.preparedQuery("SELECT " + PAGE_COLUMNS
            + " FROM webhook_deliveries d" + where
            + " ORDER BY d.created_at DESC, d.id DESC LIMIT $" + (next + 1)
            + " OFFSET $" + (next + 2))
        .execute(copy(scope).addValue(limit).addValue(offset));
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM webhook_deliveries d" + where)
        .execute(scope)
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(found, total).map(v -> {
      JsonArray items = new JsonArray();
      JsonArray data = new JsonArray();
      for (Row row : found.result()) {
        JsonObject item = toJson(row);
        items.add(item);
        data.add(summary(item, row.getInteger("response_ms")));
      }
      return new JsonObject()
          .put("items", items)
          .put("total", total.result())
          .put("offset", offset)
          .put("limit", limit)
          .put("data", data)
          .put("hasMore", offset + items.size() < total.result());
    });
  }

  /** A delivery as the official MCP server reads it; {@code deliveredAt} is its last attempt. */
  private static JsonObject summary(JsonObject item, Integer responseMs) {
    String lastAttempt = item.getString("lastAttemptAt");
    return new JsonObject()
        .put("id", item.getString("id"))
        .put("event", item.getString("eventType"))
        .put("success", "success".equals(item.getString("status")))
        .put("statusCode", item.getInteger("httpStatus"))
        .put("deliveredAt", lastAttempt != null ? lastAttempt : item.getString("createdAt"))
        .put("responseMs", responseMs);
  }

  /** A {@code WebhookDeliveryStatsResponse} over the last {@code hours}. */
  static Future<JsonObject> stats(Pool pool, String accountId, int hours) {
    return pool.preparedQuery("SELECT event_type, date_trunc('hour', created_at) AS hour, status, "
            + "count(*) AS n FROM webhook_deliveries WHERE account_id = $1 "
            + "AND created_at >= now() - $2::int * interval '1 hour' GROUP BY 1, 2, 3")
        .execute(Tuple.of(accountId, hours))
        .map(rows -> {
          Counts all = new Counts();
          Map<String, Counts> byType = new TreeMap<>();
          Map<OffsetDateTime, Counts> byHour = new TreeMap<>();
          for (Row row : rows) {
            String status = row.getString("status");
            long n = row.getLong("n");
            all.add(status, n);
            byType.computeIfAbsent(row.getString("event_type"), k -> new Counts()).add(status, n);
            OffsetDateTime hour = row.getOffsetDateTime("hour").withOffsetSameInstant(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.HOURS);
            byHour.computeIfAbsent(hour, k -> new Counts()).add(status, n);
          }
          JsonObject types = new JsonObject();
          byType.forEach((type, counts) -> types.put(type, counts.json()));
          JsonArray hoursArray = new JsonArray();
          byHour.forEach((hour, counts) -> hoursArray.add(
              new JsonObject().put("hour", Times.format(hour)).mergeIn(counts.json())));
          return new JsonObject()
              .put("total", all.total)
              .put("success", all.success)
              .put("failed", all.failed)
              .put("pending", all.pending)
              .put("successRate", rate(all.success, all.total))
              .put("byEventType", types)
              .put("byHour", hoursArray);
        });
  }

  /** An {@code AllTimeStatsResponse}, counted on the (account, status) index. */
  static Future<JsonObject> allTime(Pool pool, String accountId) {
    return pool.preparedQuery("SELECT status, count(*) AS n FROM webhook_deliveries "
            + "WHERE account_id = $1 GROUP BY status")
        .execute(Tuple.of(accountId))
        .map(rows -> {
          Counts all = new Counts();
          rows.forEach(row -> all.add(row.getString("status"), row.getLong("n")));
          return new JsonObject()
              .put("total", all.total)
              .put("success", all.success)
              .put("failed", all.failed)
              .put("successRate", rate(all.success, all.total));
        });
  }

  /** Percentage of deliveries that succeeded, two decimals; 0 when there were none. */
  static double rate(long success, long total) {
    if (total == 0) {
      return 0.0;
    }
    return BigDecimal.valueOf(success * 100.0 / total).setScale(2, RoundingMode.HALF_UP)
        .doubleValue();
  }

  private static final class Counts {
    long total;
    long success;
    long failed;
    long pending;

    void add(String status, long n) {
      total += n;
      switch (status) {
        case "success" -> success += n;
        case "failed" -> failed += n;
        default -> pending += n;
      }
    }

    JsonObject json() {
      return new JsonObject().put("total", total).put("success", success).put("failed", failed)
          .put("pending", pending);
    }
  }

  /** A {@code WebhookDeliveryResponse}. */
  static JsonObject toJson(Row row) {
    boolean retrying = "pending".equals(row.getString("status"))
        && row.getInteger("attempt_count") > 0;
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("messageId", row.getString("message_id"))
        .put("eventType", row.getString("event_type"))
        .put("channel", row.getString("channel"))
        .put("status", row.getString("status"))
        .put("httpStatus", row.getInteger("http_status"))
        .put("errorMessage", row.getString("error_message"))
        .put("responseBody", row.getString("response_body"))
        .put("attemptCount", row.getInteger("attempt_count"))
        .put("lastAttemptAt", Times.format(row.getOffsetDateTime("last_attempt_at")))
        .put("nextRetryAt", retrying ? Times.format(row.getOffsetDateTime("next_attempt_at")) : null)
        .put("createdAt", Times.format(row.getOffsetDateTime("created_at")));
  }

  private static Tuple copy(Tuple tuple) {
    Tuple out = Tuple.tuple();
    for (int i = 0; i < tuple.size(); i++) {
      out.addValue(tuple.getValue(i));
    }
    return out;
  }
}

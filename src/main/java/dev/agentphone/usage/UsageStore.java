package dev.agentphone.usage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage, a read model: it reads the tables of other domains (accounts' plan, numbers, agents,
 * messages, calls; see docs/architecture.md) and keeps its own per-day counters. Usage read from
 * the per-day counters ({@code usage_daily}, kept by triggers with the webhook
 * outcome counters {@code usage_webhook_outcomes}; see V6__usage.sql).
 * A rolling window ({@code (now - w, now]}) is the exact count of its partial first day, read from
 * an indexed time range, plus the counters of the whole days after it: never a full scan.
 */
final class UsageStore {
  static final List<Duration> WINDOWS = List.of(Duration.ofHours(24), Duration.ofDays(7),
      Duration.ofDays(30));

  private UsageStore() {
  }

  /** Messages and calls in one rolling window. */
  public record Window(long messages, long calls) {
  }

  /** Everything {@code GET /v1/usage} reports, as of one instant. */
  public record Summary(String plan, long activeNumbers, long totalMessages, long totalCalls,
      long webhooks, long webhooksSuccessful, long webhooksFailed, List<Window> windows,
      long periodOutboundMessages, long periodCallSeconds) {
  }

  /** One day's or one month's totals. */
  public record Point(LocalDate start, long messages, long calls, long callSeconds,
      long webhooks) {
  }

  /** The account's active numbers ({@code $1}): what the plan's numbers limit counts. */
  private static final String ACTIVE_NUMBERS =
      "SELECT count(*) FROM phone_numbers WHERE account_id = $1 AND status = 'active'";

  /** A statement and its parameters. */
  record Query(String sql, Tuple params) {
  }

  static Future<Summary> summary(SqlClient db, String accountId, OffsetDateTime now) {
    Query query = summaryQuery(accountId, now);
    return db.preparedQuery(query.sql()).execute(query.params()).map(rows -> {
      Row row = rows.iterator().next();
      List<Window> counted = new java.util.ArrayList<>();
      for (int i = 0; i < WINDOWS.size(); i++) {
        counted.add(new Window(row.getLong("messages_" + i), row.getLong("calls_" + i)));
      }
      return new Summary(row.getString("plan"), row.getLong("numbers"),
          row.getLong("total_messages"), row.getLong("total_calls"), row.getLong("webhooks"),
          row.getLong("webhooks_success"), row.getLong("webhooks_failed"), counted,
          row.getLong("period_outbound"), row.getLong("period_seconds"));
    });
  }

  static Query summaryQuery(String accountId, OffsetDateTime now) {
    Tuple params = Tuple.of(accountId);
    StringBuilder windows = new StringBuilder();
    for (int i = 0; i < WINDOWS.size(); i++) {
      OffsetDateTime from = now.minus(WINDOWS.get(i));
      LocalDate firstWholeDay = BillingPeriod.utcDay(from).plusDays(1);
      params.addValue(from).addValue(firstWholeDay.atStartOfDay().atOffset(ZoneOffset.UTC))
          .addValue(firstWholeDay);
      int p = 2 + i * 3;
      windows.append(", (SELECT count(*) FROM messages WHERE account_id = $1 AND created_at > $")
          .append(p).append(" AND created_at < $").append(p + 1)
          .append(" AND created_at <= $").append(2 + WINDOWS.size() * 3 + 1)
          .append(") + t.messages_from_").append(i).append(" AS messages_").append(i)
          .append(", (SELECT count(*) FROM calls WHERE account_id = $1 AND started_at > $")
          .append(p).append(" AND started_at < $").append(p + 1)
          .append(" AND started_at <= $").append(2 + WINDOWS.size() * 3 + 1)
          .append(") + t.calls_from_").append(i).append(" AS calls_").append(i);
    }
    StringBuilder sums = new StringBuilder();
    for (int i = 0; i < WINDOWS.size(); i++) {
      int day = 4 + i * 3;
      sums.append(", coalesce(sum(messages) FILTER (WHERE day >= $").append(day)
          .append("), 0)::bigint AS messages_from_").append(i)
          .append(", coalesce(sum(calls) FILTER (WHERE day >= $").append(day)
          .append("), 0)::bigint AS calls_from_").append(i);
    }
    int period = 2 + WINDOWS.size() * 3;
    params.addValue(BillingPeriod.month(now).start()).addValue(now);
    String sql = "SELECT (" + Plans.PLAN_OF_ACCOUNT + ") AS plan, (" + ACTIVE_NUMBERS
        + ") AS numbers, o.*, t.*" + windows
        + " FROM (SELECT coalesce(sum(messages), 0)::bigint AS total_messages, "
        + "coalesce(sum(calls), 0)::bigint AS total_calls, "
        + "coalesce(sum(webhooks), 0)::bigint AS webhooks, "
        + "coalesce(sum(outbound_messages) FILTER (WHERE day >= $" + period
        + "), 0)::bigint AS period_outbound, "
        + "coalesce(sum(call_seconds) FILTER (WHERE day >= $" + period
        + "), 0)::bigint AS period_seconds" + sums
        + " FROM usage_daily WHERE account_id = $1) t, "
        + "(SELECT coalesce(sum(successful), 0)::bigint AS webhooks_success, "
        + "coalesce(sum(failed), 0)::bigint AS webhooks_failed "
        + "FROM usage_webhook_outcomes WHERE account_id = $1) o";
    return new Query(sql, params);
  }

  /** One point per UTC day from {@code first} to {@code last}, zero-filled, oldest first. */
  static Future<List<Point>> daily(SqlClient db, String accountId, LocalDate first,
      LocalDate last) {
    return db.preparedQuery("SELECT day, sum(messages)::bigint AS messages, "
            + "sum(calls)::bigint AS calls, sum(call_seconds)::bigint AS call_seconds, "
            + "sum(webhooks)::bigint AS webhooks FROM usage_daily "
            + "WHERE account_id = $1 AND day >= $2 AND day <= $3 GROUP BY day")
        .execute(Tuple.of(accountId, first, last))
        .map(rows -> {
          Map<LocalDate, Point> series = new LinkedHashMap<>();
          for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            series.put(d, new Point(d, 0, 0, 0, 0));
          }
          for (Row row : rows) {
            LocalDate day = row.getLocalDate("day");
            series.put(day, point(day, row));
          }
          return List.copyOf(series.values());
        });
  }

  /** One point per UTC calendar month from {@code first} (a 1st) to {@code last}, zero-filled. */
  static Future<List<Point>> monthly(SqlClient db, String accountId, LocalDate first,
      LocalDate last) {
    return db.preparedQuery("SELECT date_trunc('month', day)::date AS month, "
            + "sum(messages)::bigint AS messages, sum(calls)::bigint AS calls, "
            + "sum(call_seconds)::bigint AS call_seconds, sum(webhooks)::bigint AS webhooks "
            + "FROM usage_daily WHERE account_id = $1 AND day >= $2 AND day < $3 GROUP BY 1")
        .execute(Tuple.of(accountId, first, last.plusMonths(1)))
        .map(rows -> {
          Map<LocalDate, Point> series = new LinkedHashMap<>();
          for (LocalDate m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            series.put(m, new Point(m, 0, 0, 0, 0));
          }
          for (Row row : rows) {
            LocalDate month = row.getLocalDate("month");
            series.put(month, point(month, row));
          }
          return List.copyOf(series.values());
        });
  }

  private static Point point(LocalDate start, Row row) {
    return new Point(start, row.getLong("messages"), row.getLong("calls"),
        row.getLong("call_seconds"), row.getLong("webhooks"));
  }

  /** A number's or agent's counters summed over the joined {@code usage_daily} rows {@code u}. */
  private static final String PERIOD_SUMS = "coalesce(sum(u.messages), 0)::bigint AS messages, "
      + "coalesce(sum(u.outbound_messages), 0)::bigint AS outbound_messages, "
      + "coalesce(sum(u.calls), 0)::bigint AS calls, "
      + "coalesce(sum(u.call_seconds), 0)::bigint AS call_seconds ";

  /**
   * Per number: {@code id, phone_number, country, agent_id, agent_name, status, messages, calls,
   * call_seconds}.
   */
  static Future<List<Row>> byNumber(SqlClient db, String accountId, BillingPeriod period) {
    return db.preparedQuery("SELECT p.id, p.phone_number, p.country, p.agent_id, p.status, "
            + "(SELECT a.name FROM agents a WHERE a.id = p.agent_id) AS agent_name, "
            + PERIOD_SUMS
            + "FROM phone_numbers p LEFT JOIN usage_daily u ON u.account_id = p.account_id "
            + "AND u.phone_number_id = p.id AND u.day >= $2 AND u.day < $3 "
            + "WHERE p.account_id = $1 GROUP BY p.id "
            + "HAVING p.status = 'active' OR count(u.day) > 0 ORDER BY p.created_at, p.id")
        .execute(Tuple.of(accountId, period.start(), period.end()))
        .map(UsageStore::list);
  }

  /**
   * Per agent: {@code id, name, messages, calls, call_seconds}, every agent of the account in
   * the order they were made; then, when there is any, one row with a null {@code id} for the
   * work of no agent that exists (none attached, or one since deleted).
   */
  static Future<List<Row>> byAgent(SqlClient db, String accountId, BillingPeriod period) {
    return db.preparedQuery("SELECT * FROM (SELECT a.id, a.name, a.created_at, " + PERIOD_SUMS
            + "FROM agents a LEFT JOIN usage_daily u ON u.account_id = a.account_id "
            + "AND u.agent_id = a.id AND u.day >= $2 AND u.day < $3 "
            + "WHERE a.account_id = $1 GROUP BY a.id "
            + "UNION ALL SELECT NULL, NULL, NULL, " + PERIOD_SUMS + "FROM usage_daily u "
            + "WHERE u.account_id = $1 AND u.day >= $2 AND u.day < $3 AND NOT EXISTS "
            + "(SELECT 1 FROM agents a WHERE a.id = u.agent_id AND a.account_id = $1) "
            // only what the breakdown shows: days that counted webhook deliveries alone (a
            // sub-account's events sent to its parent's webhook) make no "Unassigned" row
            + "HAVING coalesce(sum(u.messages), 0) + coalesce(sum(u.calls), 0) "
            + "+ coalesce(sum(u.call_seconds), 0) > 0) t ORDER BY t.created_at NULLS LAST, t.id")
        .execute(Tuple.of(accountId, period.start(), period.end()))
        .map(UsageStore::list);
  }

  /** The account's outbound messages and call seconds in {@code period}. */
  static Future<Row> periodTotals(SqlClient db, String accountId, BillingPeriod period) {
    return db.preparedQuery("SELECT (" + Plans.PLAN_OF_ACCOUNT + ") AS plan, "
            + "coalesce(sum(outbound_messages), 0)::bigint AS outbound_messages, "
            + "coalesce(sum(call_seconds), 0)::bigint AS call_seconds FROM usage_daily "
            + "WHERE account_id = $1 AND day >= $2 AND day < $3")
        .execute(Tuple.of(accountId, period.start(), period.end()))
        .map(rows -> rows.iterator().next());
  }

  private static List<Row> list(Iterable<Row> rows) {
    List<Row> out = new java.util.ArrayList<>();
    rows.forEach(out::add);
    return out;
  }
}

package dev.agentphone.webhooks;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;

/**
 * Bulk replay jobs: a job and the deliveries it will replay are stored in one transaction, so an
 * accepted job is never lost and survives restarts; {@link ReplayRunner} works through them.
 */
final class ReplayJobs {
  /** The most deliveries one job may take; a wider selection is refused, to be split up. */
  static final int MAX_DELIVERIES = 100_000;

  private ReplayJobs() {
  }

  /** The selection of a bulk replay. */
  record Selection(String status, OffsetDateTime since, OffsetDateTime until, String eventType) {
  }

  /** Creates a job over the matching deliveries; answers {@code {jobId, count}}. */
  static Future<JsonObject> create(Pool pool, String accountId, String agentId,
      Selection selection) {
    String jobId = Ids.next("whr");
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO webhook_replay_jobs (id, "
                + "account_id, agent_id, status_filter, since, until, event_type, total) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, 0)")
            .execute(Tuple.of(jobId, accountId, agentId, selection.status(), selection.since(),
                selection.until(), selection.eventType()))
            .compose(v -> tx.preparedQuery("INSERT INTO webhook_replay_items (job_id, "
                    + "delivery_id, position) SELECT $1, d.id, row_number() OVER "
                    + "(ORDER BY d.created_at, d.id) FROM (SELECT id, created_at "
                    + "FROM webhook_deliveries d WHERE d.account_id = $2 AND d.status = $3 "
                    + "AND d.created_at >= $4 AND d.created_at < $5 "
                    + "AND ($6::text IS NULL OR d.event_type = $6)" + DeliveryReplay.scope(agentId, 8)
                    + " ORDER BY created_at, id LIMIT $7) d")
                .execute(agentScoped(Tuple.of(jobId, accountId, selection.status(),
                    selection.since(), selection.until(), selection.eventType(),
                    MAX_DELIVERIES + 1), agentId)))
            .compose(items -> {
              int count = items.rowCount();
              if (count > MAX_DELIVERIES) {
                return Future.failedFuture(ApiError.invalid(
                    new io.vertx.core.json.JsonArray().add("body").add("since"), "value_error",
                    "More than " + MAX_DELIVERIES + " deliveries match; narrow the window"));
              }
              return tx.preparedQuery("UPDATE webhook_replay_jobs SET total = $2, "
                      + "status = CASE WHEN $2 = 0 THEN 'completed' ELSE status END, "
                      + "finished_at = CASE WHEN $2 = 0 THEN now() END WHERE id = $1")
                  .execute(Tuple.of(jobId, count))
                  .map(v -> new JsonObject().put("jobId", jobId).put("count", count));
            }));
  }

  /**
   * A job's progress ({@code WebhookReplayJobResponse}), 404 unless it is the account's (and,
   * with {@code agentId}, that agent's). {@code succeeded} and {@code failed} count the outcomes
   * the replayed deliveries have had since their replay.
   */
  static Future<JsonObject> read(Pool pool, String accountId, String agentId, String jobId) {
    String scope = agentId == null ? "" : " AND j.agent_id = $3";
    Tuple args = agentScoped(Tuple.of(jobId, accountId), agentId);
    return pool.preparedQuery("SELECT j.*, "
            + "(SELECT count(*) FILTER (WHERE d.status = 'success') FROM webhook_replay_items i "
            + " JOIN webhook_deliveries d ON d.id = i.delivery_id WHERE i.job_id = j.id "
            + " AND i.state = 'replayed' AND d.completed_at >= i.replayed_at) AS succeeded, "
            + "(SELECT count(*) FILTER (WHERE d.status = 'failed') FROM webhook_replay_items i "
            + " JOIN webhook_deliveries d ON d.id = i.delivery_id WHERE i.job_id = j.id "
            + " AND i.state = 'replayed' AND d.completed_at >= i.replayed_at) AS failed "
            + "FROM webhook_replay_jobs j WHERE j.id = $1 AND j.account_id = $2" + scope)
        .execute(args)
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Replay job");
          }
          return toJson(rows.iterator().next());
        });
  }

  private static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("jobId", row.getString("id"))
        .put("status", row.getString("status"))
        .put("total", row.getInteger("total"))
        .put("replayed", row.getInteger("replayed"))
        .put("skipped", row.getInteger("skipped"))
        .put("succeeded", row.getLong("succeeded"))
        .put("failed", row.getLong("failed"))
        .put("selection", new JsonObject()
            .put("status", row.getString("status_filter"))
            .put("since", Times.format(row.getOffsetDateTime("since")))
            .put("until", Times.format(row.getOffsetDateTime("until")))
            .put("eventType", row.getString("event_type")))
        .put("createdAt", Times.format(row.getOffsetDateTime("created_at")))
        .put("finishedAt", Times.format(row.getOffsetDateTime("finished_at")));
  }

  private static Tuple agentScoped(Tuple args, String agentId) {
    return agentId == null ? args : args.addValue(agentId);
  }
}

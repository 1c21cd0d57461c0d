package dev.agentphone.webhooks;

import dev.agentphone.platform.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Sends one settled delivery again: the row goes back to pending, due now, with a fresh round of
 * attempts whose numbers continue its log. The sender then posts the same frozen bytes with the
 * same {@code X-Webhook-ID}, signed anew (new timestamp, the webhook's current secrets).
 */
final class DeliveryReplay {
  /**
   * What a replay sets; the condition on the status makes it a no-op for a delivery in flight,
   * and one whose webhook was deleted is left alone, there being nothing to send it to.
   */
  static final String REQUEUE = "status = 'pending', attempt_base = attempt_count, "
      + "next_attempt_at = now(), completed_at = NULL, replayed_at = now()";
  /** Published on this node after a replay, so the sender sends it now rather than at a poll. */
  static final String REPLAYED = "webhooks.replayed";
  static final String WEBHOOK_EXISTS =
      "EXISTS (SELECT 1 FROM webhooks w WHERE w.id = d.webhook_id)";

  private DeliveryReplay() {
  }

  /**
   * Replays the account's delivery ({@code agentId} set: one of the agent's own-webhook
   * deliveries); 404 when it is not theirs, 409 while it is pending or when its webhook is gone.
   */
  static Future<JsonObject> replay(Pool pool, String accountId, String agentId,
      String deliveryId) {
    String scope = scope(agentId, 3);
    Tuple args = agentId == null ? Tuple.of(deliveryId, accountId)
        : Tuple.of(deliveryId, accountId, agentId);
    return pool.preparedQuery("UPDATE webhook_deliveries d SET " + REQUEUE
            + " WHERE d.id = $1 AND d.account_id = $2" + scope
            + " AND d.status IN ('success', 'failed') AND " + WEBHOOK_EXISTS
            + " RETURNING " + DeliveryLog.COLUMNS)
        .execute(args)
        .compose(rows -> {
          if (rows.size() > 0) {
            return Future.succeededFuture(DeliveryLog.toJson(rows.iterator().next()));
          }
          return pool.preparedQuery("SELECT d.status, " + WEBHOOK_EXISTS + " AS webhook "
                  + "FROM webhook_deliveries d WHERE d.id = $1 AND d.account_id = $2" + scope)
              .execute(args)
              .compose(found -> Future.failedFuture(whyNot(deliveryId, found.size() == 0 ? null
                  : found.iterator().next())));
        });
  }

  private static ApiError whyNot(String deliveryId, Row row) {
    if (row == null) {
      return ApiError.notFound("Delivery");
    }
    if ("pending".equals(row.getString("status"))) {
      return ApiError.conflict("Delivery " + deliveryId + " is still pending (being sent or "
          + "waiting for a retry); it can be replayed once it has succeeded or failed");
    }
    return ApiError.conflict("The webhook delivery " + deliveryId + " was sent to has been "
        + "deleted; there is nothing to send it to");
  }

  /** The condition restricting deliveries to an agent's own webhook, {@code $n} its id. */
  static String scope(String agentId, int n) {
    return agentId == null ? "" : " AND d.agent_id = $" + n + " AND d.agent_webhook";
  }
}

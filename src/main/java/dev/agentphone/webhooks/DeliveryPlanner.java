package dev.agentphone.webhooks;

import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Outbox;
import dev.agentphone.platform.OutboxEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns outbox events into deliveries. One transaction claims a batch of undispatched events
 * ({@code FOR UPDATE SKIP LOCKED}, so nodes share the work), freezes each event's body with the
 * conversation's context into a delivery for the webhook that applies, and marks the events
 * dispatched. A crash before the commit leaves the events undispatched and no delivery; the
 * unique event id makes a second creation a no-op: nothing is lost, nothing doubled.
 */
final class DeliveryPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryPlanner.class);
  /** Past this age an event goes out without context rather than wait longer for it. */
  private static final Duration CONTEXT_PATIENCE = Duration.ofMinutes(5);
  private static final long CONTEXT_TIMEOUT_MILLIS = 5_000;

  /**
   * A batch of deliveries in one statement, from one array per column, answering the ids it
   * created (an event that has its delivery already keeps that one). clock_timestamp(), not the
   * transaction's now(): the log lists a batch in event order. A delivery planned from the table
   * is created leased ({@code lease_ms}, the claim's lease), for this node sends it as soon as
   * the plan commits: no claim, no second write of the row before its attempt is recorded.
   */
  static final String INSERT = "INSERT INTO webhook_deliveries (id, account_id, webhook_id, "
      + "agent_webhook, agent_id, event_id, event_type, channel, message_id, body, created_at, "
      + "next_attempt_at) "
      + "SELECT id, account_id, webhook_id, agent_webhook, agent_id, event_id, event_type, "
      + "channel, message_id, body, clock_timestamp(), "
      + "now() + COALESCE(lease_ms, 0) * interval '1 millisecond' FROM unnest($1::text[], "
      + "$2::text[], $3::text[], $4::bool[], $5::text[], $6::text[], $7::text[], $8::text[], "
      + "$9::text[], $10::bytea[], $11::bigint[]) WITH ORDINALITY AS d (id, account_id, "
      + "webhook_id, agent_webhook, agent_id, event_id, event_type, channel, message_id, body, "
      + "lease_ms, n) ORDER BY n ON CONFLICT (event_id) DO NOTHING RETURNING id";
  private static final int COLUMNS = 11;

  /** A planned event: its delivery's columns and the attempt to make, or no delivery. */
  private record Planned(String eventId, Tuple delivery, DeliverySender.Due due) {
  }

  /**
   * What a plan settled: the events (from the table, a full batch means: run again) and the
   * deliveries it created leased, to be sent now.
   */
  record Plan(List<String> settled, List<DeliverySender.Due> leased) {
  }

  private final ConversationsApi conversations;
  private final WebhookRouting routing;
  private final Pool pool;
  private final long leaseMarginMs;

  DeliveryPlanner(ConversationsApi conversations, WebhookRouting routing, Pool pool,
      long leaseMarginMs) {
    this.conversations = conversations;
    this.routing = routing;
    this.pool = pool;
    this.leaseMarginMs = leaseMarginMs;
  }

  /**
   * Plans up to {@code limit} events from the table, their deliveries leased to this node unless
   * {@code leased} is false (then due at once, for a claim); events waiting for their context
   * are not counted as settled, so they never cause a busy loop.
   */
  Future<Plan> planBatch(int limit, boolean leased) {
    return pool.withConnection(tx -> {
      // BEGIN and COMMIT as plain statements, each pipelined with the plan's first and last:
      // three round trips from the claim of the events to the commit of their deliveries
      Future<?> begun = tx.query("BEGIN").execute();
      Future<Plan> planned = Outbox.claimUndispatched(tx, limit).compose(events -> {
        List<Future<Planned>> plans = new ArrayList<>();
        Map<String, Future<WebhookRouting.Routed>> routes = new HashMap<>();
        events.forEach(event -> plans.add(plan(tx, event, routes, leased)));
        return Future.join(plans).otherwiseEmpty().compose(v -> {
          Future<Plan> stored = store(tx, plans, true);
          // in a transaction a failed statement aborted, COMMIT rolls back: the plan fails with
          // that statement
          Future<?> committed = tx.query("COMMIT").execute();
          return Future.join(stored, committed).map(done -> stored.result());
        });
      });
      return Future.join(begun, planned).transform(done -> done.succeeded()
          ? Future.succeededFuture(planned.result())
          // the connection goes back to the pool: never inside this transaction
          : tx.query("ROLLBACK").execute().transform(rolledBack ->
              Future.<Plan>failedFuture(done.cause())));
    });
  }

  /**
   * Plans events that arrived from the event stream (already marked dispatched by the relay) and
   * answers the ids it settled; an event missing from the answer must be offered again.
   */
  Future<List<String>> planStreamed(List<OutboxEvent> events) {
    return pool.withTransaction(tx -> {
      List<Future<Planned>> plans = new ArrayList<>();
      Map<String, Future<WebhookRouting.Routed>> routes = new HashMap<>();
      events.forEach(event -> plans.add(plan(tx, event, routes, false)));
      return Future.join(plans).otherwiseEmpty().compose(v -> store(tx, plans, false))
          .map(Plan::settled);
    });
  }

  /**
   * A delivery for the event, a plan without delivery (no webhook), or null: try later. The
   * delivery is in the log of the account owning the webhook (a parent's, for a sub-account's
   * event sent to the parent's webhook); the body names the event's own account. The events of
   * one batch that share an account and agent share one lookup of their webhook ({@code routes}):
   * a burst's batch is usually one account's.
   */
  private Future<Planned> plan(SqlConnection tx, OutboxEvent event,
      Map<String, Future<WebhookRouting.Routed>> routes, boolean leased) {
    String eventId = event.id();
    String accountId = event.accountId();
    String agentId = event.agentId();
    return routes.computeIfAbsent(accountId + "\n" + agentId,
        key -> routing.route(tx, accountId, agentId)).compose(routed -> {
      if (routed == null) {
        return Future.succeededFuture(new Planned(eventId, null, null));
      }
      Row webhook = routed.webhook();
      int limit = webhook.getInteger("context_limit");
      return context(event, limit).map(context -> {
        if (context == null) {
          return null;
        }
        JsonObject data = event.data();
        byte[] body = Envelope.of(event.type(), event.channel(), event.occurredAt(), accountId,
            agentId, data, context.getValue("metadata"), context.getJsonArray("recentHistory"))
            .toBuffer().getBytes();
        Object messageId = data == null ? null : data.getValue("messageId");
        String id = Ids.next("whd");
        int timeout = webhook.getInteger("timeout_seconds");
        return new Planned(eventId, Tuple.of(id, routed.ownerAccountId(),
                webhook.getString("id"),
                webhook.getString("agent_id") != null, agentId, eventId)
            .addValue(event.type())
            .addValue(event.channel())
            .addValue(messageId instanceof String s ? s : null)
            .addValue(io.vertx.core.buffer.Buffer.buffer(body))
            .addValue(leased ? timeout * 1000L + leaseMarginMs : null),
            new DeliverySender.Due(id, body, 0, 0, webhook.getString("url"),
                WebhookStore.signingSecrets(webhook), timeout));
      });
    });
  }

  /**
   * The conversation's metadata and last {@code limit} messages as of the event; empty for an
   * event without a conversation. Null when the context is not available yet (retry later).
   */
  private Future<JsonObject> context(OutboxEvent event, int limit) {
    String conversationId = event.conversationId();
    JsonObject empty = new JsonObject().put("metadata", null).put("recentHistory", new JsonArray());
    if (conversationId == null) {
      return Future.succeededFuture(empty);
    }
    OffsetDateTime occurredAt = event.occurredAt();
    // A message event's history ends at that message, even when later ones arrived meanwhile.
    JsonObject data = event.data();
    String beforeOrAt = "agent.message".equals(event.type()) && data != null
        && data.getValue("messageId") instanceof String messageId ? messageId : null;
    return conversations.context(event.accountId(), conversationId, limit, beforeOrAt,
            CONTEXT_TIMEOUT_MILLIS)
        .recover(failure -> {
          if (failure instanceof ApiError e && e.status() == 404) {
            // the conversation is gone (its number was deleted): nothing to add
            return Future.succeededFuture(empty);
          }
          if (occurredAt.isBefore(OffsetDateTime.now().minus(CONTEXT_PATIENCE))) {
            LOG.warn("event {}: conversation context unavailable, sending without it",
                event.id(), failure);
            return Future.succeededFuture(empty);
          }
          LOG.debug("event {}: conversation context unavailable, will retry", event.id());
          return Future.succeededFuture(null);
        });
  }

  /**
   * Inserts the planned deliveries; marks their events dispatched when they came from the table
   * and answers the deliveries created leased.
   */
  private Future<Plan> store(SqlConnection tx, List<Future<Planned>> plans,
      boolean markDispatched) {
    List<Planned> deliveries = new ArrayList<>();
    List<String> handled = new ArrayList<>();
    for (Future<Planned> plan : plans) {
      if (plan.succeeded() && plan.result() != null) {
        handled.add(plan.result().eventId());
        if (plan.result().delivery() != null) {
          deliveries.add(plan.result());
        }
      } else if (plan.failed()) {
        LOG.warn("could not plan a webhook delivery; will retry", plan.cause());
      }
    }
    // The insert also bumps the accounts' usage counter rows (a statement trigger, V75): inserting
    // in account order (stable, so each account's events keep their order) keeps a batch's
    // deliveries of one account together.
    deliveries.sort(java.util.Comparator.comparing(planned -> planned.delivery().getString(1)));
    // the mark and the insert pipelined: a plan from the table is one round trip between
    // reading its events and committing
    Future<Void> marked = markDispatched && !handled.isEmpty()
        ? Outbox.markDispatched(tx, handled) : Future.succeededFuture();
    if (deliveries.isEmpty()) {
      return marked.map(v -> new Plan(handled, List.of()));
    }
    Future<RowSet<Row>> inserted = tx.preparedQuery(INSERT).execute(columns(deliveries));
    return Future.all(marked, inserted)
        .map(both -> {
          Set<String> created = new HashSet<>();
          inserted.result().forEach(row -> created.add(row.getString(0)));
          List<DeliverySender.Due> leased = new ArrayList<>();
          for (Planned planned : deliveries) {
            if (planned.delivery().getValue(COLUMNS - 1) != null
                && created.contains(planned.due().id())) {
              leased.add(planned.due());
            }
          }
          return new Plan(handled, leased);
        });
  }

  /** {@link #INSERT}'s parameters: the deliveries' values, column by column. */
  private static Tuple columns(List<Planned> deliveries) {
    int n = deliveries.size();
    Object[][] columns = {new String[n], new String[n], new String[n], new Boolean[n],
        new String[n], new String[n], new String[n], new String[n], new String[n],
        new io.vertx.core.buffer.Buffer[n], new Long[n]};
    for (int row = 0; row < n; row++) {
      for (int column = 0; column < COLUMNS; column++) {
        columns[column][row] = deliveries.get(row).delivery().getValue(column);
      }
    }
    Tuple tuple = Tuple.tuple();
    for (Object[] column : columns) {
      tuple.addValue(column);
    }
    return tuple;
  }
}

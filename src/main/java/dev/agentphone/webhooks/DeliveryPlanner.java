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
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns outbox events into deliveries. One transaction claims a batch of undispatched events
 * ({@code FOR UPDATE SKIP LOCKED}, so nodes share the work), freezes each event's body with the
 * conversation's context into a delivery for the webhook that applies, and marks the events
 * dispatched. A crash before the commit leaves the events undispatched and no delivery; the
 * unique event id makes a second creation a no-op: nothing is lost, nothing doubled.
 *
 * <p>A batch from the table takes no more events than the sender has room for, and their
 * deliveries are created already leased to it (due again only once the attempt's lease has run
 * out, as a claim would have set) and handed to it once the transaction has committed: a fresh
 * delivery needs no claim of its own, and the events the sender has no room for yet wait in the
 * outbox. If the node dies before the attempts are recorded, the leases run out and any node
 * claims the deliveries.
 */
final class DeliveryPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryPlanner.class);
  /** Past this age an event goes out without context rather than wait longer for it. */
  private static final Duration CONTEXT_PATIENCE = Duration.ofMinutes(5);
  private static final long CONTEXT_TIMEOUT_MILLIS = 5_000;

  /**
   * A batch of deliveries in one statement, from one array per column, each due when its lease
   * ($11, milliseconds; 0: due now, for any sender to claim) has run out; answers the ids created
   * (an event planned twice keeps its first delivery). clock_timestamp(), not the transaction's
   * now(): the log lists a batch in event order.
   */
  static final String INSERT = "INSERT INTO webhook_deliveries (id, account_id, webhook_id, "
      + "agent_webhook, agent_id, event_id, event_type, channel, message_id, body, created_at, "
      + "next_attempt_at) SELECT id, account_id, webhook_id, agent_webhook, agent_id, event_id, "
      + "event_type, channel, message_id, body, clock_timestamp(), "
      + "now() + lease * interval '1 millisecond' FROM unnest($1::text[], $2::text[], "
      + "$3::text[], $4::bool[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], "
      + "$10::bytea[], $11::bigint[]) WITH ORDINALITY AS d (id, account_id, webhook_id, "
      + "agent_webhook, agent_id, event_id, event_type, channel, message_id, body, lease, n) "
      + "ORDER BY n ON CONFLICT (event_id) DO NOTHING RETURNING id";
  private static final int COLUMNS = 10;

  /** Where fresh deliveries go already leased: the sender of this node. */
  interface Leases {
    /** Holds room for up to {@code wanted} deliveries; answers how many it may lease. */
    int reserve(int wanted);

    /** How long a fresh delivery's lease lasts for a webhook with this timeout. */
    long leaseMs(Integer timeoutSeconds);

    /**
     * Gives back a reservation with the deliveries leased under it (committed, to send now);
     * {@code dueNow} more were created without a lease, for a claim to take.
     */
    void leased(int reservation, List<DeliverySender.Leased> deliveries, int dueNow);
  }

  private record Planned(String eventId, Tuple delivery, DeliverySender.Leased leased) {
  }

  /** A batch's reservation of the sender's room, and what it leased once committed. */
  private static final class Handoff {
    int reservation;
    /** Reserved before the batch (planned from the table), else at its insert. */
    boolean reserved;
    List<DeliverySender.Leased> leased = List.of();
    int dueNow;
  }

  private final ConversationsApi conversations;
  private final WebhookRouting routing;
  private final Pool pool;
  private final int batchSize;
  private final Leases leases;

  DeliveryPlanner(ConversationsApi conversations, WebhookRouting routing, Pool pool,
      int batchSize, Leases leases) {
    this.conversations = conversations;
    this.routing = routing;
    this.pool = pool;
    this.batchSize = batchSize;
    this.leases = leases;
  }

  /**
   * Plans one batch of at most {@code reservation} events, all their deliveries leased under
   * that reservation of the sender's room (taken by the caller, given back here); answers how
   * many events it settled (a full batch means: run again; events waiting for their context are
   * not counted, so they never cause a busy loop).
   */
  Future<Integer> planBatch(int reservation) {
    long start = System.nanoTime();
    Handoff handoff = new Handoff();
    handoff.reservation = reservation;
    handoff.reserved = true;
    return handedOff(handoff, pool.withTransaction(tx -> Outbox.claimUndispatched(tx, reservation)
        .compose(events -> {
          List<Future<Planned>> plans = new ArrayList<>();
          Map<String, Future<WebhookRouting.Routed>> routes = new HashMap<>();
          events.forEach(event -> plans.add(plan(tx, event, routes)));
          return Future.join(plans).otherwiseEmpty()
              .compose(v -> store(tx, plans, true, handoff))
              .map(List::size);
        })))
        .onSuccess(n -> DispatchMetrics.batch(DispatchMetrics.PLAN, start, n));
  }

  /** Once the transaction is over: its leased deliveries to the sender, none if it failed. */
  private <T> Future<T> handedOff(Handoff handoff, Future<T> transaction) {
    return transaction.andThen(done -> leases.leased(handoff.reservation,
        done.succeeded() ? handoff.leased : List.of(), done.succeeded() ? handoff.dueNow : 0));
  }

  /**
   * Plans events that arrived from the event stream (already marked dispatched by the relay) and
   * answers the ids it settled; an event missing from the answer must be offered again.
   */
  Future<List<String>> planStreamed(List<OutboxEvent> events) {
    Handoff handoff = new Handoff();
    return handedOff(handoff, pool.withTransaction(tx -> {
      List<Future<Planned>> plans = new ArrayList<>();
      Map<String, Future<WebhookRouting.Routed>> routes = new HashMap<>();
      events.forEach(event -> plans.add(plan(tx, event, routes)));
      return Future.join(plans).otherwiseEmpty()
          .compose(v -> store(tx, plans, false, handoff));
    }));
  }

  /**
   * A delivery for the event, a plan without delivery (no webhook), or null: try later. The
   * delivery is in the log of the account owning the webhook (a parent's, for a sub-account's
   * event sent to the parent's webhook); the body names the event's own account. The events of
   * one batch that share an account and agent share one lookup of their webhook ({@code routes}):
   * a burst's batch is usually one account's.
   */
  private Future<Planned> plan(SqlConnection tx, OutboxEvent event,
      Map<String, Future<WebhookRouting.Routed>> routes) {
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
        String deliveryId = Ids.next("whd");
        DeliverySender.Leased leased = new DeliverySender.Leased(deliveryId, body, 0, 0,
            webhook.getString("url"), WebhookStore.signingSecrets(webhook),
            webhook.getInteger("timeout_seconds"));
        return new Planned(eventId, Tuple.of(deliveryId, routed.ownerAccountId(),
                webhook.getString("id"),
                webhook.getString("agent_id") != null, agentId, eventId)
            .addValue(event.type())
            .addValue(event.channel())
            .addValue(messageId instanceof String s ? s : null)
            .addValue(io.vertx.core.buffer.Buffer.buffer(body)), leased);
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
   * Inserts the planned deliveries, the first ones leased as far as the sender has room;
   * marks their events dispatched when they came from the table.
   */
  private Future<List<String>> store(SqlConnection tx, List<Future<Planned>> plans,
      boolean markDispatched, Handoff handoff) {
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
    // The insert also bumps the accounts' usage counter rows (a statement trigger, V75), whose
    // locks are held until the commit: it comes last, so that concurrent batches of one account
    // wait for each other only from there. Inserting in account order (stable, so each
    // account's events keep their order) keeps a batch's deliveries of one account together.
    deliveries.sort(java.util.Comparator.comparing(p -> p.delivery().getString(1)));
    Future<?> marked = handled.isEmpty() || !markDispatched ? Future.succeededFuture()
        : Outbox.markDispatched(tx, handled);
    return marked.compose(v -> deliveries.isEmpty() ? Future.succeededFuture()
            : insert(tx, deliveries, handoff))
        .map(handled);
  }

  private Future<Void> insert(SqlConnection tx, List<Planned> deliveries, Handoff handoff) {
    if (!handoff.reserved) {
      handoff.reservation = leases.reserve(deliveries.size());
    }
    int leasing = Math.min(handoff.reservation, deliveries.size());
    handoff.dueNow = deliveries.size() - leasing;
    Long[] leaseMs = new Long[deliveries.size()];
    for (int row = 0; row < leaseMs.length; row++) {
      leaseMs[row] = row < leasing
          ? leases.leaseMs(deliveries.get(row).leased().timeoutSeconds()) : 0L;
    }
    Tuple parameters = columns(deliveries.stream().map(Planned::delivery).toList())
        .addValue(leaseMs);
    return tx.preparedQuery(INSERT).execute(parameters).map(created -> {
      java.util.Set<String> ids = new java.util.HashSet<>();
      created.forEach(row -> ids.add(row.getString("id")));
      // an event planned twice (ON CONFLICT) has its delivery already: only new ones go out
      handoff.leased = deliveries.subList(0, leasing).stream()
          .map(Planned::leased).filter(leased -> ids.contains(leased.id())).toList();
      return null;
    });
  }

  /** {@link #INSERT}'s parameters: the deliveries' values, column by column. */
  private static Tuple columns(List<Tuple> deliveries) {
    int n = deliveries.size();
    Object[][] columns = {new String[n], new String[n], new String[n], new Boolean[n],
        new String[n], new String[n], new String[n], new String[n], new String[n],
        new io.vertx.core.buffer.Buffer[n]};
    for (int row = 0; row < n; row++) {
      for (int column = 0; column < COLUMNS; column++) {
        columns[column][row] = deliveries.get(row).getValue(column);
      }
    }
    Tuple tuple = Tuple.tuple();
    for (Object[] column : columns) {
      tuple.addValue(column);
    }
    return tuple;
  }
}

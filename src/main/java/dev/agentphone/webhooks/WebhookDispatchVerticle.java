package dev.agentphone.webhooks;

import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.OutboxListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives outbound webhooks from the outbox: events become deliveries ({@link DeliveryPlanner}),
 * due deliveries are sent ({@link DeliverySender}), bulk replays are paced ({@link ReplayRunner}). Woken by NOTIFY on every committed event, by
 * timers for retries, and by a slow poll that also picks up other nodes' leftovers.
 */
final class WebhookDispatchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatchVerticle.class);

  private final Pool pool;
  private final String databaseUrl;
  private final WebhookSettings settings;
  private final EventStream stream;
  private final SsrfGuard guard;
  private final ConversationsApi conversations;
  private final WebhookRouting routing;
  private DeliveryPlanner planner;
  private DeliverySender sender;
  private ReplayRunner replays;
  private WebhookPoster poster;
  private OutboxListener listener;
  private StreamedEventConsumer streamed;
  private long pollTimer = -1;
  private boolean planning;
  private boolean planAgain;
  private boolean stopping;
  /**
   * Events the next plan takes: grows while batches come back full, so that a deep backlog is
   * planned in fewer, larger transactions.
   */
  private int planSize;
  /** The plan in flight (or the last one): a stop lets it commit and send what it leased. */
  private Future<Void> planInFlight = Future.succeededFuture();

  WebhookDispatchVerticle(Pool pool, String databaseUrl, WebhookSettings settings,
      EventStream stream, SsrfGuard guard, ConversationsApi conversations,
      WebhookRouting routing) {
    this.pool = pool;
    this.databaseUrl = databaseUrl;
    this.settings = settings;
    this.stream = stream;
    this.guard = guard;
    this.conversations = conversations;
    this.routing = routing;
  }

  @Override
  public Future<?> start() {
    planner = new DeliveryPlanner(conversations, routing, pool, settings.leaseMarginMs());
    planSize = settings.batchSize();
    poster = new WebhookPoster(vertx, settings, guard);
    sender = new DeliverySender(vertx, pool, poster, settings);
    replays = new ReplayRunner(vertx, pool, settings, () -> sender.pump());
    replays.start();
    if (stream.enabled()) {
      // Events arrive through the Kafka stream (relayed by EventRelayVerticle), not the table.
      streamed = new StreamedEventConsumer(vertx, stream, planner, sender::pump);
      return streamed.start().onSuccess(v -> {
        pollTimer = vertx.setPeriodic(settings.pollIntervalMs(), t -> sender.pump());
        sender.pump();
      });
    }
    listener = new OutboxListener(vertx, databaseUrl, this::plan);
    return listener.start().onSuccess(v -> {
      pollTimer = vertx.setPeriodic(settings.pollIntervalMs(), t -> {
        plan();
        sender.pump();
      });
      // Whatever was left when the engine last stopped goes out now.
      plan();
      sender.pump();
    });
  }

  /**
   * Plans batches of events until none is left, one batch at a time, each into room the sender
   * reserved for its deliveries: they are sent as soon as the plan commits, while the next plan
   * runs and earlier attempts are recorded. With little room free the plan waits for it rather
   * than commit a batch of a few. With {@code webhooks.leaseAtPlanning} off, plans run ahead of
   * the sender and their deliveries are claimed like retries.
   */
  private void plan() {
    if (stopping) {
      return;
    }
    if (planning) {
      planAgain = true;
      return;
    }
    boolean leased = settings.leaseAtPlanning();
    int room = leased ? sender.reserve(planSize, settings.maxInFlight() / 4, this::plan)
        : planSize;
    if (room == 0) {
      return;
    }
    planning = true;
    planAgain = false;
    Promise<Void> planned = Promise.promise();
    planInFlight = planned.future();
    planner.planBatch(room, leased).onComplete(done -> {
      planning = false;
      if (done.failed()) {
        if (leased) {
          sender.release(room);
        }
        planned.complete();
        LOG.warn("turning events into webhook deliveries failed; will retry", done.cause());
        return;
      }
      if (leased) {
        sender.sendPlanned(done.result().leased(), room);
      } else if (!done.result().settled().isEmpty()) {
        sender.pump();
      }
      planned.complete();
      boolean full = done.result().settled().size() == room;
      planSize = full ? Math.min(2 * planSize, maxPlanSize()) : settings.batchSize();
      if (planAgain || full) {
        plan();
      }
    });
  }

  /** Half the requests a node may have in flight: the next batch is planned while one is sent. */
  private int maxPlanSize() {
    return Math.max(settings.batchSize(), settings.maxInFlight() / 2);
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    Future<Void> intake = streamed != null ? streamed.stop() : listener.stop();
    return intake.recover(e -> Future.succeededFuture())
        .compose(v -> replays.stop())
        .compose(v -> planInFlight)
        .compose(v -> sender.stop())
        .onComplete(v -> poster.close());
  }
}

package dev.agentphone.webhooks;

import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.OutboxListener;
import io.vertx.core.Future;
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
  private int planning;
  private boolean planAgain;
  /** The last batch planned was full: more events wait than one batch takes. */
  private boolean morePlanned;
  /** Planning waits for the sender to have room. */
  private boolean waitingForRoom;
  private boolean stopping;

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
    poster = new WebhookPoster(vertx, settings, guard);
    sender = new DeliverySender(vertx, pool, poster, settings, this::roomFreed);
    planner = new DeliveryPlanner(conversations, routing, pool, settings.batchSize(), sender);
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
      // due retries first: planning takes whatever room they leave
      pollTimer = vertx.setPeriodic(settings.pollIntervalMs(), t -> {
        sender.pump();
        plan();
      });
      // Whatever was left when the engine last stopped goes out now.
      sender.pump();
      plan();
    });
  }

  /**
   * Plans batches of events until none is left. While batches come back full, up to
   * {@code webhooks.concurrentBatches} are in flight at once ({@code SKIP LOCKED} gives each its
   * own events), so that one batch's commit does not hold up the next; otherwise one at a time.
   * A batch takes only as many events as the sender has room for (their deliveries leased to it
   * as they are created); with less room than a quarter of it (or a batch), planning waits until
   * attempts free some: the events wait in the outbox, not as deliveries to claim later.
   */
  private void plan() {
    if (stopping) {
      return;
    }
    if (planning >= settings.concurrentBatches() || (planning > 0 && !morePlanned)) {
      planAgain = true;
      return;
    }
    int room = sender.spare();
    if (room < Math.max(1, Math.min(settings.batchSize(), settings.maxInFlight() / 4))) {
      waitingForRoom = true;
      return;
    }
    int reservation = sender.reserve(Math.min(settings.batchSize(), room));
    if (reservation == 0) {
      return;
    }
    planning++;
    planAgain = false;
    waitingForRoom = false;
    planner.planBatch(reservation).onComplete(done -> {
      planning--;
      if (done.failed()) {
        morePlanned = false;
        LOG.warn("turning events into webhook deliveries failed; will retry", done.cause());
        return;
      }
      morePlanned = done.result() == reservation;
      if (planAgain || morePlanned) {
        plan();
      }
    });
    if (morePlanned) {
      plan();
    }
  }

  private void roomFreed() {
    if (waitingForRoom) {
      plan();
    }
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    Future<Void> intake = streamed != null ? streamed.stop() : listener.stop();
    return intake.recover(e -> Future.succeededFuture())
        .compose(v -> replays.stop())
        .compose(v -> sender.stop())
        .onComplete(v -> poster.close());
  }
}

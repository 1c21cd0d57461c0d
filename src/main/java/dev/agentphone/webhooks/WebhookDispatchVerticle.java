package dev.agentphone.webhooks;

import dev.agentphone.Engine;
import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.OutboxListener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives outbound webhooks from the outbox: events become deliveries ({@link DeliveryPlanner}),
 * due deliveries are sent ({@link DeliverySender}). Woken by NOTIFY on every committed event, by
 * timers for retries, and by a slow poll that also picks up other nodes' leftovers.
 */
public final class WebhookDispatchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatchVerticle.class);

  private final Engine engine;
  private final WebhookSettings settings;
  private DeliveryPlanner planner;
  private DeliverySender sender;
  private WebhookPoster poster;
  private OutboxListener listener;
  private StreamedEventConsumer streamed;
  private long pollTimer = -1;
  private boolean planning;
  private boolean planAgain;
  private boolean stopping;

  public WebhookDispatchVerticle(Engine engine) {
    this.engine = engine;
    this.settings = WebhookSettings.from(engine.config());
  }

  @Override
  public Future<?> start() {
    planner = new DeliveryPlanner(vertx, engine.pool(), settings.batchSize());
    poster = new WebhookPoster(vertx, settings);
    sender = new DeliverySender(vertx, engine.pool(), poster, settings);
    if (EventStream.enabled(engine.config())) {
      // Events arrive through the Kafka stream (relayed by EventRelayVerticle), not the table.
      streamed = new StreamedEventConsumer(vertx, engine.config(), planner, sender::pump);
      return streamed.start().onSuccess(v -> {
        pollTimer = vertx.setPeriodic(settings.pollIntervalMs(), t -> sender.pump());
        sender.pump();
      });
    }
    listener = new OutboxListener(vertx, engine.databaseUrl(), this::plan);
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

  /** Plans batches of events until none is left, one batch at a time. */
  private void plan() {
    if (stopping) {
      return;
    }
    if (planning) {
      planAgain = true;
      return;
    }
    planning = true;
    planAgain = false;
    planner.planBatch().onComplete(done -> {
      planning = false;
      if (done.failed()) {
        LOG.warn("turning events into webhook deliveries failed; will retry", done.cause());
        return;
      }
      if (done.result() > 0) {
        sender.pump();
      }
      if (planAgain || done.result() == settings.batchSize()) {
        plan();
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    Future<Void> intake = streamed != null ? streamed.stop() : listener.stop();
    return intake.recover(e -> Future.succeededFuture())
        .compose(v -> sender.stop())
        .onComplete(v -> poster.close());
  }
}

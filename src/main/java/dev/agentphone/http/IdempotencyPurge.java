package dev.agentphone.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired idempotency keys, on every node every {@code http.idempotencyPurgeSeconds}, in
 * batches. An expired key is already ignored by the requests that meet it; this only keeps the
 * table small. Nodes purging at once skip each other's rows, so no lease is needed.
 */
public final class IdempotencyPurge extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyPurge.class);
  private static final int BATCH = 1000;

  private final IdempotencyStore store;
  private final long intervalMillis;
  private boolean running;

  public IdempotencyPurge(IdempotencyStore store, IdempotencySettings settings) {
    this.store = store;
    this.intervalMillis = settings.purgeMillis();
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(intervalMillis, t -> purge());
    return Future.succeededFuture();
  }

  private void purge() {
    if (running) {
      return;
    }
    running = true;
    store.purge(BATCH).onComplete(done -> {
      running = false;
      if (done.failed()) {
        LOG.warn("could not purge expired idempotency keys: {}", done.cause().getMessage());
      } else if (done.result() == BATCH) {
        vertx.runOnContext(v -> purge()); // more are waiting
      }
    });
  }
}

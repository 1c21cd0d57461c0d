package dev.agentphone.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Listens, on every node, for API keys revoked anywhere in the cluster and drops them from this
 * node's {@link ApiKeyAuth} cache at once. The revocation is published on the clustered event bus
 * ({@link #ADDRESS}) after it committed; the cache's time-out stays the fallback for a message a
 * node missed.
 */
public final class KeyRevocations extends VerticleBase {
  /** Cluster-wide: the body is the revoked key's id. */
  public static final String ADDRESS = "auth.key-revoked";

  private final ApiKeyAuth auth;
  private MessageConsumer<String> consumer;

  public KeyRevocations(ApiKeyAuth auth) {
    this.auth = auth;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(ADDRESS, message -> auth.revoked(message.body()));
    // registered across the cluster before the node serves requests
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}

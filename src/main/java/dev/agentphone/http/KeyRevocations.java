package dev.agentphone.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Listens, on every node, for API keys revoked anywhere in the cluster and drops them from this
 * node's {@link ApiKeyAuth} cache at once. The revocation is published on the clustered event bus
 * ({@link #ADDRESS}) after it committed; the cache's time-out stays the fallback for a message a
 * node missed. The node that revoked a key also asks its own listener over {@link #LOCAL_ADDRESS}
 * and answers only once that is done, so the next request to this node is refused.
 */
public final class KeyRevocations extends VerticleBase {
  /** Cluster-wide: the body is the revoked key's id. */
  public static final String ADDRESS = "auth.key-revoked";
  /** This node only, answered once the key is out of this node's cache: the body is its id. */
  public static final String LOCAL_ADDRESS = "auth.key-revoked.local";

  private final ApiKeyAuth auth;
  private MessageConsumer<String> consumer;
  private MessageConsumer<String> local;

  public KeyRevocations(ApiKeyAuth auth) {
    this.auth = auth;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(ADDRESS, message -> auth.revoked(message.body()));
    local = vertx.eventBus().localConsumer(LOCAL_ADDRESS, message -> {
      auth.revoked(message.body());
      message.reply(null);
    });
    // registered across the cluster before the node serves requests
    return Future.all(consumer.completion(), local.completion());
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumer.unregister(), local.unregister());
  }
}

package dev.agentphone.messaging;

import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * Messages in and out: what providers report ({@link InboundMessaging}), what we send
 * ({@link OutboundMessaging}, {@link Tapbacks}), and reading a number's messages.
 */
final class MessagingVerticle extends VerticleBase {
  private final Pool pool;
  private final InboundMessaging inbound;
  private final OutboundMessaging outbound;
  private final Tapbacks tapbacks;
  private final NumbersApi numbers;
  private MessageConsumer<String> routeChanges;

  MessagingVerticle(Pool pool, InboundMessaging inbound, OutboundMessaging outbound,
      Tapbacks tapbacks, NumbersApi numbers) {
    this.pool = pool;
    this.inbound = inbound;
    this.outbound = outbound;
    this.tapbacks = tapbacks;
    this.numbers = numbers;
  }

  @Override
  public Future<?> start() {
    // registered on this verticle's event loop, where the cache is used
    routeChanges = numbers.onRouteChange(inbound.routes()::forget);
    Bus.answer(vertx, MessagingApi.INBOUND, inbound::inbound);
    Bus.answer(vertx, MessagingApi.INBOUND_REACTION, inbound::inboundReaction);
    Bus.answer(vertx, MessagingApi.STATUS, inbound::status);
    Bus.answer(vertx, MessagingApi.SEND, outbound::send);
    Bus.answer(vertx, MessagingApi.REACT, tapbacks::react);
    Bus.answer(vertx, MessagingApi.BY_NUMBER, this::byNumber);
    Bus.answer(vertx, MessagingApi.BY_SID, this::bySid);
    Bus.answer(vertx, MessagingApi.DELIVERY, request -> pool.preparedQuery("SELECT id, provider_sid, "
            + "status, error_code FROM messages WHERE account_id = $1 AND id = $2 AND direction = 'outbound'")
        .execute(Tuple.of(request.getString("accountId"), request.getString("messageId")))
        .map(rows -> rows.size() == 0 ? null : new JsonObject()
            .put("messageId", rows.iterator().next().getString("id"))
            .put("messageSid", rows.iterator().next().getString("provider_sid"))
            .put("status", rows.iterator().next().getString("status"))
            .put("errorCode", rows.iterator().next().getString("error_code"))));
    // registered across the cluster before this node takes messages
    return routeChanges.completion();
  }

  @Override
  public Future<?> stop() {
    return routeChanges.unregister();
  }

  /** {@code {accountId, numberId, limit, before?, after?}}: a number's messages, also after release. */
  private Future<JsonObject> byNumber(JsonObject request) {
    String accountId = request.getString("accountId");
    String numberId = request.getString("numberId");
    return numbers.get(accountId, numberId).compose(number -> MessageStore.page(pool, accountId,
        "phone_number_id", numberId, request.getInteger("limit"),
        Times.parse(request.getString("before")), Times.parse(request.getString("after")),
        MessageViews::forNumber));
  }

  /** {@code {accountId, sid}}: the stored message a provider knows by {@code sid}, or null. */
  private Future<JsonObject> bySid(JsonObject request) {
    String accountId = request.getString("accountId");
    return pool.preparedQuery("SELECT " + MessageViews.COLUMNS + " FROM " + MessageViews.TABLES
            + " WHERE m.account_id = $1 AND m.provider_sid = $2")
        .execute(Tuple.of(accountId, request.getString("sid")))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(null)
            : MessageViews.withReactions(pool, accountId,
                List.of(MessageViews.inConversation(rows.iterator().next()))).map(one -> one.get(0)));
  }
}

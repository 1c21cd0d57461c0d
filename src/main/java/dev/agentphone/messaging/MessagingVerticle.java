package dev.agentphone.messaging;

import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Messages in and out: what providers report ({@link InboundMessaging}), what we send
 * ({@link OutboundMessaging}), and reading a number's messages.
 */
final class MessagingVerticle extends VerticleBase {
  private final Pool pool;
  private final InboundMessaging inbound;
  private final OutboundMessaging outbound;
  private final NumbersApi numbers;

  MessagingVerticle(Pool pool, InboundMessaging inbound, OutboundMessaging outbound,
      NumbersApi numbers) {
    this.pool = pool;
    this.inbound = inbound;
    this.outbound = outbound;
    this.numbers = numbers;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, MessagingApi.INBOUND, inbound::inbound);
    Bus.answer(vertx, MessagingApi.INBOUND_REACTION, inbound::inboundReaction);
    Bus.answer(vertx, MessagingApi.STATUS, inbound::status);
    Bus.answer(vertx, MessagingApi.SEND, outbound::send);
    Bus.answer(vertx, MessagingApi.REACT, outbound::react);
    Bus.answer(vertx, MessagingApi.BY_NUMBER, this::byNumber);
    Bus.answer(vertx, MessagingApi.BY_SID, this::bySid);
    return Future.succeededFuture();
  }

  /** {@code {accountId, numberId, limit, before?, after?}}: a number's messages, also after release. */
  private Future<JsonObject> byNumber(JsonObject request) {
    String accountId = request.getString("accountId");
    String numberId = request.getString("numberId");
    return numbers.get(accountId, numberId).compose(number -> MessageStore.page(pool, accountId,
        "phone_number_id", numberId, request.getInteger("limit"),
        Times.parse(request.getString("before")), Times.parse(request.getString("after")),
        MessageStore::forNumber));
  }

  /** {@code {accountId, sid}}: the stored message a provider knows by {@code sid}, or null. */
  private Future<JsonObject> bySid(JsonObject request) {
    return pool.preparedQuery("SELECT " + MessageStore.COLUMNS + " FROM messages "
            + "WHERE account_id = $1 AND provider_sid = $2")
        .execute(Tuple.of(request.getString("accountId"), request.getString("sid")))
        .map(rows -> rows.size() == 0 ? null : MessageStore.inConversation(rows.iterator().next()));
  }
}

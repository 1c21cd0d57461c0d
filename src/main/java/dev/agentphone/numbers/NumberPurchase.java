package dev.agentphone.numbers;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buying a number: reserve a slot under the plan's limit ({@link NumberReservations}), buy it
 * from the provider for its type, then store it in the slot. A number the provider sold but we
 * cannot keep is given back.
 */
final class NumberPurchase {
  private static final Logger LOG = LoggerFactory.getLogger(NumberPurchase.class);

  private final Pool pool;
  private final NumberReservations reservations;
  private final Telephony telephony;
  private final IMessage imessage;
  private final AgentCheck agents;

  NumberPurchase(Pool pool, NumberReservations reservations, Telephony telephony,
      IMessage imessage, AgentCheck agents) {
    this.pool = pool;
    this.reservations = reservations;
    this.telephony = telephony;
    this.imessage = imessage;
    this.agents = agents;
  }

  /** {@code {accountId, agentId?, type, country, areaCode?}} → the stored number. */
  Future<JsonObject> buy(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    String type = request.getString("type", "sms");
    Future<Void> agentExists = agentId == null ? Future.succeededFuture()
        : agents.requireAgent(accountId, agentId);
    return agentExists
        .compose(v -> reservations.reserve(accountId))
        .compose(reservation -> provision(type, request.getString("country"),
                request.getString("areaCode"))
            .recover(failure -> reservations.release(reservation)
                .transform(released -> Future.<ProvisionedNumber>failedFuture(failure)))
            .compose(bought -> store(request, agentId, type, bought, reservation)
                // The provider already charged for it: give it back when we cannot keep it.
                .recover(failure -> releaseAt(type, bought)
                    .compose(v -> reservations.release(reservation))
                    .transform(released -> Future.<JsonObject>failedFuture(failure)))));
  }

  private Future<ProvisionedNumber> provision(String type, String country, String areaCode) {
    if ("imessage".equals(type)) {
      if (imessage == null) {
        return Future.failedFuture(ApiError.badRequest(
            "iMessage numbers are not available: no iMessage provider is configured"));
      }
      return imessage.provision(country, areaCode);
    }
    return telephony.buy(country, areaCode);
  }

  private Future<Void> releaseAt(String type, ProvisionedNumber number) {
    return ("imessage".equals(type) ? imessage.release(number) : telephony.release(number))
        .recover(e -> {
          LOG.warn("could not release {} after a failed purchase; release it at the provider by "
              + "hand", number.phoneNumber(), e);
          return Future.succeededFuture();
        });
  }

  /** Stores the number in the slot its purchase reserved. */
  private Future<JsonObject> store(JsonObject request, String agentId, String type,
      ProvisionedNumber bought, String reservation) {
    String accountId = request.getString("accountId");
    String provider = "imessage".equals(type) ? imessage.name() : telephony.name();
    return pool.withTransaction(tx -> tx.preparedQuery(NumberReservations.LOCK)
            .execute(Tuple.of(accountId))
            .compose(locked -> reservations.redeem(tx, accountId, reservation))
            .compose(v -> NumberWrites.insert(tx, accountId, agentId, bought.phoneNumber(),
                bought.country(), type, provider, bought.providerSid()))
            .compose(inserted -> tx.preparedQuery("SELECT " + NumberStore.COLUMNS
                    + " FROM phone_numbers WHERE id = $1")
                .execute(Tuple.of(inserted.id())))
            .map(rows -> NumberStore.toJson(rows.iterator().next()))
            .compose(number -> AuditTrail.created(tx, request, NumbersVerticle.AUDITED,
                number.getString("id"), number).map(number)));
  }
}

package dev.agentphone.numbers;

import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.usage.Plans;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * Phone numbers: their verticle and {@code /v1/numbers}. {@code imessage} is null where no
 * iMessage carrier is configured; {@code reservationSeconds} is how long a purchase's reserved
 * slot outlives a crashed purchase ({@code numbers.reservationSeconds}).
 */
public final class NumbersFeature implements Feature {
  private final NumbersVerticle verticle;
  private final NumbersApi api;

  public NumbersFeature(Pool pool, Plans plans, long reservationSeconds, Telephony telephony,
      IMessage imessage, AgentCheck agents, NumbersApi api) {
    NumberPurchase purchase = new NumberPurchase(pool,
        new NumberReservations(pool, plans, reservationSeconds), telephony, imessage, agents);
    this.verticle = new NumbersVerticle(pool, purchase, telephony, imessage, agents);
    this.api = api;
  }

  @Override
  public List<VerticleBase> verticles() {
    return List.of(verticle);
  }

  @Override
  public List<Routes> routes() {
    return List.of(new NumberRoutes(api));
  }
}

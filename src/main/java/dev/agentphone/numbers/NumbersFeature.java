package dev.agentphone.numbers;

import dev.agentphone.platform.Feature;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.usage.Plans;
import io.vertx.sqlclient.Pool;

/**
 * Phone numbers: their verticle and {@code /v1/numbers}. {@code imessage} is null where no
 * iMessage carrier is configured; {@code reservationSeconds} is how long a purchase's reserved
 * slot outlives a crashed purchase ({@code numbers.reservationSeconds}).
 */
public final class NumbersFeature extends Feature {
  public NumbersFeature(Pool pool, Plans plans, long reservationSeconds, Telephony telephony,
      IMessage imessage, AgentCheck agents, NumbersApi api) {
    NumberPurchase purchase = new NumberPurchase(pool,
        new NumberReservations(pool, plans, reservationSeconds), telephony, imessage, agents);
    deploy(new NumbersVerticle(pool, purchase, telephony, imessage, agents));
    mount(new NumberRoutes(api));
  }
}

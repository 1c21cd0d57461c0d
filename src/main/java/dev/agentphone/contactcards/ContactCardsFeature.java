package dev.agentphone.contactcards;

import dev.agentphone.egress.GuardedDownload;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.imessage.IMessage;
import io.vertx.sqlclient.Pool;

/**
 * The iMessage contact cards of numbers: their verticle and
 * {@code /v1/numbers/{number_id}/contact-card}. {@code imessage} is null where no iMessage
 * carrier is configured; photos are fetched through {@code downloads} (the SSRF guard).
 */
public final class ContactCardsFeature extends Feature {
  public ContactCardsFeature(Pool pool, NumbersApi numbers, IMessage imessage,
      GuardedDownload downloads, ContactCardsApi api) {
    deploy(new ContactCardsVerticle(pool, numbers, imessage, new Avatars(downloads)));
    mount(new ContactCardRoutes(api));
  }
}

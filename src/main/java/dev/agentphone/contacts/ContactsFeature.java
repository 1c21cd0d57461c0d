package dev.agentphone.contacts;

import dev.agentphone.platform.Feature;
import io.vertx.sqlclient.Pool;

/** An account's address book: its verticle and {@code /v1/contacts}. */
public final class ContactsFeature extends Feature {
  public ContactsFeature(Pool pool, ContactsApi api) {
    deploy(new ContactsVerticle(pool));
    mount(new ContactRoutes(api));
  }
}

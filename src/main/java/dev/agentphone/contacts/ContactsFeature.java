package dev.agentphone.contacts;

import dev.agentphone.platform.Feature;
import io.vertx.sqlclient.Pool;

/**
 * An account's address book and the capability check: its verticle and {@code /v1/contacts}
 * (with {@code /v1/contacts/capabilities}).
 */
public final class ContactsFeature extends Feature {
  public ContactsFeature(Pool pool, Capabilities capabilities, ContactsApi api) {
    deploy(new ContactsVerticle(pool, capabilities));
    mount(new ContactRoutes(api));
  }
}

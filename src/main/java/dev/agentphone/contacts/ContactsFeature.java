package dev.agentphone.contacts;

import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.List;

/** An account's address book: its verticle and {@code /v1/contacts}. */
public final class ContactsFeature implements Feature {
  private final Pool pool;
  private final ContactsApi api;

  public ContactsFeature(Pool pool, ContactsApi api) {
    this.pool = pool;
    this.api = api;
  }

  @Override
  public List<VerticleBase> verticles() {
    return List.of(new ContactsVerticle(pool));
  }

  @Override
  public List<Routes> routes() {
    return List.of(new ContactRoutes(api));
  }
}

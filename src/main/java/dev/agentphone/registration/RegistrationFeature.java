package dev.agentphone.registration;

import dev.agentphone.accounts.AccountsApi;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.a2p.A2pRegistry;
import dev.agentphone.usage.Plans;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * A2P 10DLC registration: its verticle, the progress worker (every node; the registrations due
 * are shared out by the database), {@code /v1/register} and, in sandbox mode, the sandbox
 * carriers' decision route. {@code registry} is null where no provider registry is configured:
 * registrations then advance on the sandbox's schedule.
 */
public final class RegistrationFeature extends Feature {
  public RegistrationFeature(Pool pool, AppConfig config, Plans plans, AccountsApi accounts,
      A2pRegistry registry, Handler<RoutingContext> auth, RegistrationApi api) {
    RegistrationSettings settings = RegistrationSettings.from(config);
    RegistrationStore store = new RegistrationStore(pool);
    deploy(new RegistrationVerticle(store, new Submission(pool, store, accounts, settings,
        registry == null ? RegistrationStore.SANDBOX : RegistrationStore.TWILIO),
        new UsSmsGate(pool, store, plans, settings.requiredForUsSms())));
    deploy(new RegistrationProgress(store, settings, registry));
    mount(new RegistrationRoutes(api));
    if (config.sandbox()) {
      mount(new SandboxRegistrationRoutes(auth, api));
    }
  }
}

package dev.agentphone.sandbox;

import dev.agentphone.calls.CallsApi;
import dev.agentphone.messaging.MessagingApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;


/**
 * The sandbox's tools, which drive the engine from the outside as a provider or a customer's
 * phone would: the messaging simulator ({@code /sandbox/sms}, {@code /sandbox/imessage}), the
 * simulated Retell ({@code /sandbox/retell}), its calls ({@code /sandbox/calls}) and the phones
 * they reach ({@code /sandbox/phones}). In sandbox
 * mode only; the simulated Retell only while no real Retell key is configured. The loopback
 * {@link SandboxGate} is mounted before every other route by the start-up code.
 */
public final class SandboxFeature extends Feature {
  /**
   * {@code auth}: the engine's API-key authentication; {@code twilioToken}: what the simulated
   * phone signs Twilio callbacks with.
   */
  public SandboxFeature(Vertx vertx, AppConfig config, Pool pool, Handler<RoutingContext> auth,
      String twilioToken, NumbersApi numbers, CallsApi calls, MessagingApi messaging) {
    if (!config.sandbox()) {
      return;
    }
    SandboxAccount account = new SandboxAccount(numbers, calls);
    String accountSid = config.optionalString("twilio.accountSid");
    SandboxMessagingRoutes.Settings phone = new SandboxMessagingRoutes.Settings(config.httpPort(),
        config.publicUrl(), twilioToken,
        accountSid != null ? accountSid : config.string("twilio.sandboxAccountSid"));
    mount(new SandboxMessagingRoutes(vertx, pool, auth, account, messaging, phone));
    mount(new SandboxDeliveryRoutes(vertx, auth, messaging, phone));
    if (RetellClient.usesSandbox(config)) {
      String retellKey = RetellClient.apiKey(config);
      mount(new SandboxRecordingRoutes(pool, new SandboxRecorder(vertx, config)));
      SandboxPhones phones = new SandboxPhones(pool, auth);
      mount(new SandboxRetellRoutes(vertx, pool, retellKey));
      mount(new SandboxCallRoutes(auth, account));
      mount(phones);
      deploy(new SandboxCallSimulator(pool, calls, phones, config.httpPort(), retellKey));
    }
  }
}

package dev.agentphone.providers;

import dev.agentphone.platform.Feature;
import dev.agentphone.providers.email.SandboxEmailRoutes;
import dev.agentphone.providers.telephony.InboundMessages;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import io.vertx.sqlclient.Pool;


/**
 * The providers' HTTP edges: Twilio's signed callbacks (handed to {@code inbound}) and, in
 * sandbox mode, the outbox of the emails the engine sent.
 */
public final class ProvidersFeature extends Feature {
  public ProvidersFeature(Providers providers, boolean sandbox, String publicUrl, Pool pool,
      InboundMessages inbound) {
    if (sandbox) {
      mount(new SandboxEmailRoutes(pool));
    }
    mount(new TwilioWebhookRoutes(inbound, providers.twilioAuthToken(), publicUrl));
  }
}

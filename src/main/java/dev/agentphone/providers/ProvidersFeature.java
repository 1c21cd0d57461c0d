package dev.agentphone.providers;

import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.email.SandboxEmailRoutes;
import dev.agentphone.providers.telephony.InboundMessages;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * The providers' HTTP edges: Twilio's signed callbacks (handed to {@code inbound}) and, in
 * sandbox mode, the outbox of the emails the engine sent.
 */
public final class ProvidersFeature implements Feature {
  private final List<Routes> routes = new ArrayList<>();

  public ProvidersFeature(Providers providers, boolean sandbox, String publicUrl, Pool pool,
      InboundMessages inbound) {
    if (sandbox) {
      routes.add(new SandboxEmailRoutes(pool));
    }
    routes.add(new TwilioWebhookRoutes(inbound, providers.twilioAuthToken(), publicUrl));
  }

  @Override
  public List<Routes> routes() {
    return routes;
  }
}

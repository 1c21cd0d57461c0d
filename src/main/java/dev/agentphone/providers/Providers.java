package dev.agentphone.providers;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.imessage.SandboxIMessage;
import dev.agentphone.providers.sandbox.SandboxTelephony;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.providers.twilio.TwilioSignatures;
import dev.agentphone.providers.twilio.TwilioTelephony;
import com.twilio.http.TwilioRestClient;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * The engine's messaging providers. Twilio is used whenever its credentials are configured;
 * without them the sandbox stands in, which live mode refuses at start-up.
 */
public record Providers(Telephony telephony, IMessage imessage, String twilioAuthToken) {

  public static Providers create(Vertx vertx, AppConfig config, Pool pool, ProviderEdges edges) {
    String sid = config.string("twilio.accountSid");
    String token = config.string("twilio.authToken");
    Telephony telephony;
    if (sid != null && !sid.isBlank() && token != null && !token.isBlank()) {
      TwilioRestClient.Builder client = new TwilioRestClient.Builder(sid, token);
      if (edges.twilioHttp() != null) {
        client.httpClient(edges.twilioHttp());
      }
      telephony = new TwilioTelephony(vertx, client.build(), config.publicUrl());
    } else if (config.sandbox()) {
      telephony = new SandboxTelephony(pool);
    } else {
      throw new IllegalStateException(
          "live mode needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to provide phone numbers");
    }
    // No iMessage carrier is integrated yet: iMessage numbers exist in sandbox mode only.
    IMessage imessage = config.sandbox() ? new SandboxIMessage(pool) : null;
    return new Providers(telephony, imessage, TwilioSignatures.authToken(config));
  }
}

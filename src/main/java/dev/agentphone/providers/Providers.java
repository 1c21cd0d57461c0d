package dev.agentphone.providers;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.providers.a2p.A2pRegistry;
import dev.agentphone.providers.email.EmailSender;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.imessage.SandboxIMessage;
import dev.agentphone.providers.imessage.SandboxSharedLocations;
import dev.agentphone.providers.imessage.SharedLocations;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.providers.sandbox.NumbersInUse;
import dev.agentphone.providers.sandbox.SandboxCarrier;
import dev.agentphone.providers.sandbox.SandboxLineLookup;
import dev.agentphone.providers.sandbox.SandboxTelephony;
import dev.agentphone.providers.telephony.LineLookup;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.providers.twilio.TwilioA2pRegistry;
import dev.agentphone.providers.twilio.TwilioLineLookup;
import dev.agentphone.providers.twilio.TwilioSignatures;
import dev.agentphone.providers.twilio.TwilioTelephony;
import com.twilio.http.TwilioRestClient;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * The engine's clients of the outside world, built once at start-up: telephony (Twilio whenever
 * its credentials are configured, else the sandbox, which live mode refuses), iMessage (sandbox
 * mode only; null otherwise), shared locations (the same), the line lookup (Twilio Lookup with
 * Twilio, else the sandbox's numbering-plan rule), email, Retell, and the A2P 10DLC registry
 * (Twilio's whenever Twilio is the phone company; null in the sandbox, whose registrations
 * advance on a schedule). {@code inUse} tells the sandbox carrier which numbers are taken.
 */
public record Providers(Telephony telephony, IMessage imessage, SharedLocations locations,
    LineLookup lineLookup, EmailSender email, RetellClient retell, String twilioAuthToken,
    A2pRegistry a2p) {

  public static Providers create(Vertx vertx, AppConfig config, Pool pool, ProviderEdges edges,
      NumbersInUse inUse) {
    String sid = config.optionalString("twilio.accountSid");
    String token = config.optionalString("twilio.authToken");
    SandboxCarrier carrier = new SandboxCarrier(pool, inUse);
    Telephony telephony;
    LineLookup lineLookup;
    A2pRegistry a2p = null;
    if (sid != null && token != null) {
      TwilioRestClient.Builder builder = new TwilioRestClient.Builder(sid, token);
      if (edges.twilioHttp() != null) {
        builder.httpClient(edges.twilioHttp());
      }
      TwilioRestClient client = builder.build();
      telephony = new TwilioTelephony(vertx, client, config.publicUrl());
      lineLookup = new TwilioLineLookup(vertx, client);
      a2p = new TwilioA2pRegistry(vertx, client);
    } else if (config.sandbox()) {
      telephony = new SandboxTelephony(carrier);
      lineLookup = new SandboxLineLookup();
    } else {
      throw new IllegalStateException(
          "live mode needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to provide phone numbers");
    }
    // No iMessage carrier is integrated yet: iMessage numbers exist in sandbox mode only.
    IMessage imessage = config.sandbox() ? new SandboxIMessage(carrier) : null;
    SharedLocations locations = config.sandbox()
        ? new SandboxSharedLocations(pool, config.integer("location.pollAfterSeconds")) : null;
    return new Providers(telephony, imessage, locations, lineLookup,
        EmailSender.create(vertx, config, pool), RetellClient.create(vertx, config),
        TwilioSignatures.authToken(config), a2p);
  }
}

package dev.agentphone.providers.sandbox;

import dev.agentphone.providers.telephony.Telephony;
import io.vertx.core.Future;

/** Telephony without a phone company: fictional numbers, SMS kept in the sandbox outbox. */
public final class SandboxTelephony implements Telephony {
  private final SandboxCarrier carrier;

  public SandboxTelephony(SandboxCarrier carrier) {
    this.carrier = carrier;
  }

  @Override
  public String name() {
    return "sandbox";
  }

  @Override
  public Future<ProvisionedNumber> buy(String country, String areaCode) {
    return carrier.allocate(country, areaCode);
  }

  @Override
  public Future<Void> release(ProvisionedNumber number) {
    return Future.succeededFuture();
  }

  @Override
  public Future<SentMessage> send(OutboundMessage message) {
    return carrier.deliver(message.mediaUrls().isEmpty() ? "sms" : "mms", message);
  }
}

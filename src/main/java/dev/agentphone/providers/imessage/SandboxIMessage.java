package dev.agentphone.providers.imessage;

import dev.agentphone.platform.Ids;
import dev.agentphone.providers.sandbox.SandboxCarrier;
import dev.agentphone.providers.telephony.Telephony.OutboundMessage;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import dev.agentphone.providers.telephony.Telephony.SentMessage;
import io.vertx.core.Future;

/** iMessage in sandbox mode: fictional numbers, messages kept in the sandbox outbox. */
public final class SandboxIMessage implements IMessage {
  private final SandboxCarrier carrier;

  public SandboxIMessage(SandboxCarrier carrier) {
    this.carrier = carrier;
  }

  @Override
  public String name() {
    return "sandbox-imessage";
  }

  @Override
  public Future<ProvisionedNumber> provision(String country, String areaCode) {
    return carrier.allocate(country, areaCode);
  }

  @Override
  public Future<Void> release(ProvisionedNumber number) {
    return Future.succeededFuture();
  }

  @Override
  public Future<SentMessage> send(OutboundMessage message) {
    return carrier.deliver("imessage", message);
  }

  @Override
  public Future<String> react(String accountId, String from, String to, String messageSid,
      String reaction) {
    return Future.succeededFuture(Ids.next("rxn"));
  }
}

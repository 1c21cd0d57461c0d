package dev.agentphone.providers.imessage;

import dev.agentphone.platform.Ids;
import dev.agentphone.providers.sandbox.SandboxCarrier;
import dev.agentphone.providers.sandbox.SandboxCarrier.Request;
import dev.agentphone.providers.sandbox.SandboxNumbers;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * iMessage in sandbox mode: fictional numbers, and every request (messages, groups, typing,
 * backgrounds, renames, contact cards) kept in the sandbox outbox ({@code GET /sandbox/sms}) as
 * the carrier was asked it. Who is on iMessage follows a fixed rule, {@link #reaches}.
 */
public final class SandboxIMessage implements IMessage {
  private static final String CHANNEL = "imessage";
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
  public Future<Sent> send(Outbound message) {
    JsonObject details = new JsonObject();
    String chat = message.to();
    String newGroup = null;
    if (chat == null) {
      newGroup = "chat" + SandboxCarrier.hex(12);
      chat = newGroup;
      details.put("recipients", new JsonArray(List.copyOf(message.recipients())));
    }
    if (message.sendStyle() != null) {
      details.put("sendStyle", message.sendStyle());
    }
    if (message.replyToSid() != null) {
      details.put("replyTo", message.replyToSid());
    }
    String started = newGroup;
    return carrier.record(new Request(message.accountId(), "IM", CHANNEL, "message",
            message.from(), chat, message.body(), message.mediaUrls(), details))
        .map(sid -> new Sent(sid, "sent", started));
  }

  @Override
  public Future<String> react(String accountId, String from, String to, String messageSid,
      String reaction) {
    return Future.succeededFuture(Ids.next("rxn"));
  }

  @Override
  public Future<Void> typing(String accountId, String from, String chat) {
    return carrier.record(new Request(accountId, "IA", CHANNEL, "typing", from, chat, "",
        List.of(), new JsonObject())).mapEmpty();
  }

  @Override
  public Future<String> setBackground(String accountId, String from, String chat, Image image) {
    String backgroundId = "bg" + SandboxCarrier.hex(12);
    return carrier.record(new Request(accountId, "IA", CHANNEL, "background.set", from, chat, "",
            List.of(), new JsonObject().put("backgroundId", backgroundId)
            .put("contentType", image.contentType()).put("bytes", image.bytes().length)
            .put("sha256", image.sha256())))
        .map(sid -> backgroundId);
  }

  @Override
  public Future<Void> removeBackground(String accountId, String from, String chat) {
    return carrier.record(new Request(accountId, "IA", CHANNEL, "background.remove", from, chat,
        "", List.of(), new JsonObject())).mapEmpty();
  }

  @Override
  public Future<Void> renameGroup(String accountId, String from, String chat, String name) {
    return carrier.record(new Request(accountId, "IA", CHANNEL, "group.rename", from, chat, "",
        List.of(), new JsonObject().put("name", name))).mapEmpty();
  }

  @Override
  public Future<Void> setContactCard(String accountId, String line, ContactCard card) {
    JsonObject details = new JsonObject().put("firstName", card.firstName())
        .put("lastName", card.lastName()).put("displayName", card.displayName());
    if (card.avatar() != null) {
      details.put("avatar", new JsonObject().put("contentType", card.avatar().contentType())
          .put("bytes", card.avatar().bytes().length).put("sha256", card.avatar().sha256()));
    }
    return carrier.record(new Request(accountId, "IA", "imessage", "contact-card.set", line, "",
        "", List.of(), details)).mapEmpty();
  }

  @Override
  public Future<Void> removeContactCard(String accountId, String line) {
    return carrier.record(new Request(accountId, "IA", "imessage", "contact-card.remove", line,
        "", "", List.of(), new JsonObject())).mapEmpty();
  }

  /**
   * The sandbox's rule: a fictional number (555-0100 to 555-0199 of a US or Canadian area code)
   * is on iMessage when its last digit is even; no other number is, so the sandbox never claims
   * anything about a real phone.
   */
  @Override
  public Future<Boolean> reaches(String accountId, String line, String phoneNumber) {
    return Future.succeededFuture(SandboxNumbers.isFictional(phoneNumber)
        && (phoneNumber.charAt(phoneNumber.length() - 1) - '0') % 2 == 0);
  }
}

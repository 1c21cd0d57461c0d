package dev.agentphone.providers.sandbox;

import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.providers.telephony.LineLookup;
import io.vertx.core.Future;

/**
 * The sandbox's line lookup, with no phone company to ask: the numbering plan's type of the
 * number (libphonenumber) in Twilio's words. Mobile-looking numbers (mobile, VoIP, and the
 * fixed-line-or-mobile numbers of North America, fictional 555-01xx ones included) take SMS;
 * landline, toll-free and other numbers do not.
 */
public final class SandboxLineLookup implements LineLookup {
  @Override
  public Future<Line> lookup(String phoneNumber) {
    return Future.succeededFuture(switch (PhoneNumbers.planType(phoneNumber)) {
      case "MOBILE", "FIXED_LINE_OR_MOBILE" -> new Line("mobile", true);
      case "VOIP" -> new Line("nonFixedVoip", true);
      case "FIXED_LINE" -> new Line("landline", false);
      case "TOLL_FREE" -> new Line("tollFree", false);
      case "PREMIUM_RATE" -> new Line("premium", false);
      case "SHARED_COST" -> new Line("sharedCost", false);
      case "PAGER" -> new Line("pager", false);
      case "VOICEMAIL" -> new Line("voicemail", false);
      default -> new Line("unknown", false);
    });
  }
}

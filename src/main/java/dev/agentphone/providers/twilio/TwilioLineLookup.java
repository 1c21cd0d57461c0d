package dev.agentphone.providers.twilio;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.lookups.v2.PhoneNumber;
import dev.agentphone.providers.telephony.LineLookup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.Set;

/**
 * Twilio Lookup v2 with Line Type Intelligence, through the SDK on a worker thread. Mobile and
 * VoIP lines take SMS; landlines, toll-free, premium, pager, voicemail and unknown lines are not
 * counted on to (Twilio cannot promise a toll-free number is text-enabled).
 */
public final class TwilioLineLookup implements LineLookup {
  /** Line Type Intelligence {@code type}s that receive SMS. */
  static final Set<String> TEXTABLE = Set.of("mobile", "fixedVoip", "nonFixedVoip");

  private final Vertx vertx;
  private final TwilioRestClient client;

  public TwilioLineLookup(Vertx vertx, TwilioRestClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  @Override
  public Future<Line> lookup(String phoneNumber) {
    return vertx.executeBlocking(() -> line(PhoneNumber.fetcher(phoneNumber)
            .setFields("line_type_intelligence").fetch(client)), false)
        .recover(failure -> Future.failedFuture(
            TwilioTelephony.translate("look the number up", failure)));
  }

  /** An invalid number, or one Twilio could not type (its {@code error_code}), takes no SMS. */
  static Line line(PhoneNumber answer) {
    if (!Boolean.TRUE.equals(answer.getValid())) {
      return new Line("invalid", false);
    }
    Map<String, Object> intelligence = answer.getLineTypeIntelligence();
    Object type = intelligence == null ? null : intelligence.get("type");
    String name = type == null ? "unknown" : type.toString();
    return new Line(name, TEXTABLE.contains(name));
  }
}

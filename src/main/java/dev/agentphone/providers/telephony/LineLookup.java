package dev.agentphone.providers.telephony;

import io.vertx.core.Future;

/** What the phone company knows about a line before anyone sends to it. */
public interface LineLookup {
  /**
   * The line behind {@code phoneNumber} (E.164): its type as the provider names it
   * ({@code mobile}, {@code landline}, {@code nonFixedVoip}, …, {@code unknown}) and whether it
   * takes SMS.
   */
  Future<Line> lookup(String phoneNumber);

  record Line(String type, boolean sms) {
  }
}

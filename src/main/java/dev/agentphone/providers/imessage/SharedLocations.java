package dev.agentphone.providers.imessage;

import io.vertx.core.Future;

/**
 * Shared locations, as iMessage carriers offer them (Apple's Find My: people who share their
 * location with our line). Neither Twilio nor Retell has anything like it.
 */
public interface SharedLocations {
  /** Where the phone last said it is; its position may be unknown (null coordinates). */
  Future<Fix> locate(String accountId, String phoneNumber);

  /**
   * Asks every phone that shares with the account for a new position; answers how many seconds
   * later the new positions are worth reading.
   */
  Future<Integer> refresh(String accountId);

  /** A reported position: {@code status} is the carrier's word for it ({@code live}, …). */
  record Fix(Double latitude, Double longitude, String status, long lastUpdatedMillis) {
  }
}

package dev.agentphone.providers.a2p;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A carrier's A2P 10DLC registry: a brand (who sends) and a campaign (what they send), each
 * reviewed by the carriers. Calls are made off the event loop. A refusal of what was submitted
 * fails with a 400 {@code ApiError}; the provider's own failure (unreachable, 5xx) with a 502,
 * which is worth trying again.
 *
 * <p>{@code registration} is the checked request as the API accepted it (snake_case fields).
 */
public interface A2pRegistry {
  /** How far a review got. */
  enum Outcome { PENDING, APPROVED, REJECTED }

  /** A review's outcome and, for a rejection, the carrier's reason. */
  record Review(Outcome outcome, String reason) {
  }

  /**
   * Submits the brand: the business (or person) profile and the brand registration. The answer
   * names what was created: {@code {customerProfileSid, a2pProfileSid, brandSid}}.
   */
  Future<JsonObject> submitBrand(String reference, JsonObject registration);

  Future<Review> brandReview(String brandSid);

  /**
   * Submits the campaign of an approved brand: {@code {messagingServiceSid, campaignSid}}.
   */
  Future<JsonObject> submitCampaign(String reference, String brandSid, JsonObject registration);

  Future<Review> campaignReview(String messagingServiceSid, String campaignSid);
}

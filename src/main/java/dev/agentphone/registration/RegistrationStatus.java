package dev.agentphone.registration;

import io.vertx.core.json.JsonObject;

/** {@code CampaignStatusResponse}: {@code {campaign_status, message, stage}}. */
final class RegistrationStatus {
  private RegistrationStatus() {
  }

  static JsonObject of(RegistrationStore.Latest latest) {
    String message = switch (latest.status()) {
      case "approved" -> "Registration approved: the brand and its campaign are registered with "
          + "the US carriers, and this account may send SMS to US numbers.";
      case "rejected" -> "Registration rejected"
          + (latest.reason() == null || latest.reason().isBlank() ? "" : ": " + latest.reason())
          + ". Correct the details and submit again with POST /v1/register.";
      default -> "Registration is under review (" + describe(latest.stage()) + ").";
    };
    return json(latest.status(), message, latest.stage());
  }

  /**
   * Nothing submitted for this account; {@code onSubAccount} is the newest registration it paid
   * for on a sub-account, which the message points to.
   */
  static JsonObject none(RegistrationStore.Latest onSubAccount) {
    String message = "No registration submitted for this account. Submit one with POST "
        + "/v1/register (a one-time fee) to send SMS to US numbers through the carriers' A2P "
        + "10DLC rules.";
    if (onSubAccount != null) {
      message += " Your latest registration was made for the sub-account "
          + onSubAccount.accountId() + " (campaign_status " + onSubAccount.status()
          + "): read it with GET /v1/register/status and X-Sub-Account-Id: "
          + onSubAccount.accountId() + ".";
    }
    return json("none", message, null);
  }

  private static String describe(String stage) {
    return switch (stage) {
      case RegistrationStore.RECEIVED -> "received, about to be submitted to the carriers";
      case RegistrationStore.BRAND_SUBMITTED -> "the brand is with the carriers for review";
      case RegistrationStore.BRAND_APPROVED -> "the brand is approved; the campaign is next";
      case RegistrationStore.CAMPAIGN_SUBMITTED -> "the campaign is with the carriers for review";
      default -> stage;
    };
  }

  private static JsonObject json(String status, String message, String stage) {
    return new JsonObject().put("campaign_status", status).put("message", message)
        .put("stage", stage);
  }
}

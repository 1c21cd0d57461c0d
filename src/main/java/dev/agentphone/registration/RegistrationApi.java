package dev.agentphone.registration;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The registration domain's published API over the event bus: A2P 10DLC registrations (the
 * carriers' record of who sends and what), their status, and the check the messaging domain makes
 * before texting a US number. Every operation is scoped to {@code accountId}.
 */
public final class RegistrationApi {
  static final String REGISTER = "registration.register";
  static final String STATUS = "registration.status";
  static final String CHECK_US_SMS = "registration.check-us-sms";
  static final String SANDBOX_DECIDE = "registration.sandbox-decide";

  private final Vertx vertx;

  public RegistrationApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Submits a checked {@code POST /v1/register} request (snake_case, defaults filled in):
   * {@code {ok, message, campaign_status, sub_account_id, fee_cents}}. 409 while the account
   * registered has one pending or approved.
   */
  public Future<JsonObject> register(String accountId, JsonObject request) {
    return Bus.request(vertx, REGISTER, Bus.scope(accountId).put("request", request));
  }

  /** The account's latest registration: {@code {campaign_status, message, stage}}. */
  public Future<JsonObject> status(String accountId) {
    return Bus.request(vertx, STATUS, Bus.scope(accountId));
  }

  /**
   * Succeeds when {@code accountId} may send an SMS to {@code toNumber} (E.164): always for
   * numbers outside +1, else when no registration is required of it or it has an approved one;
   * otherwise fails with a 403 that says how to register.
   */
  public Future<Void> checkSms(String accountId, String toNumber) {
    if (toNumber == null || !toNumber.startsWith("+1")) {
      return Future.succeededFuture();
    }
    return Bus.<Object>request(vertx, CHECK_US_SMS, Bus.scope(accountId)).mapEmpty();
  }

  /**
   * The sandbox's carriers decide the account's pending sandbox registration at once:
   * {@code approve} or {@code reject} (with {@code reason}); answers its new status.
   */
  public Future<JsonObject> sandboxDecide(String accountId, boolean approve, String reason) {
    return Bus.request(vertx, SANDBOX_DECIDE, Bus.scope(accountId).put("approve", approve)
        .put("reason", reason));
  }
}

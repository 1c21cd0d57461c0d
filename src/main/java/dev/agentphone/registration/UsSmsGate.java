package dev.agentphone.registration;

import dev.agentphone.platform.ApiError;
import dev.agentphone.usage.Plans;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Whether an account may text US numbers: US carriers filter A2P traffic from unregistered 10DLC
 * senders, so a plan (or the whole installation) may require an approved registration first.
 * {@code plans.catalog.<plan>.registrationRequiredForUsSms} decides for a plan; a plan that does
 * not say follows {@code registration.requiredForUsSms}. A sub-account needs its own approved
 * registration (each sub-account has its own campaign); its plan is its parent's.
 */
final class UsSmsGate {
  static final String PLAN_OPTION = "registrationRequiredForUsSms";

  private final Pool pool;
  private final RegistrationStore store;
  private final Plans plans;
  private final boolean requiredByDefault;
  /** When nothing requires it, no send asks the database. */
  private final boolean everRequired;

  UsSmsGate(Pool pool, RegistrationStore store, Plans plans, boolean requiredByDefault) {
    this.pool = pool;
    this.store = store;
    this.plans = plans;
    this.requiredByDefault = requiredByDefault;
    this.everRequired = requiredByDefault || plans.anyPlanSets(PLAN_OPTION);
  }

  /** Succeeds when the account may text US numbers, else a 403 saying how to register. */
  Future<Void> check(String accountId) {
    if (!everRequired) {
      return Future.succeededFuture();
    }
    return plans.ofAccount(pool, accountId).compose(limits -> {
      Boolean planSays = plans.option(limits.plan(), PLAN_OPTION);
      if (!(planSays != null ? planSays : requiredByDefault)) {
        return Future.succeededFuture();
      }
      return store.hasApproved(accountId).compose(approved -> approved
          ? Future.<Void>succeededFuture()
          : store.latest(accountId).compose(latest -> Future.failedFuture(refusal(latest))));
    });
  }

  private static ApiError refusal(RegistrationStore.Latest latest) {
    String now = latest == null ? "This account has no registration yet"
        : "pending".equals(latest.status())
            ? "This account's registration is still under review (stage " + latest.stage() + ")"
            : "This account's last registration was rejected";
    return new ApiError(403, "Sending SMS to US numbers requires an approved A2P 10DLC "
        + "registration on your plan. " + now + ". Register with POST /v1/register (a one-time "
        + "fee) and follow it with GET /v1/register/status; SMS to US numbers can be sent once "
        + "its campaign_status is approved. iMessage and non-US numbers are not affected.");
  }
}

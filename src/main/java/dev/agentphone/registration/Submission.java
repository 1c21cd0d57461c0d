package dev.agentphone.registration;

import dev.agentphone.accounts.AccountsApi;
import dev.agentphone.accounts.Charges;
import dev.agentphone.audit.AuditTrail;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/register}. Which account is registered: a new sub-account of the caller's main
 * account when {@code create_sub_account} (the default) asks for one; the caller's own account
 * when it is false; and always the sub-account itself when the request acts for one
 * ({@code X-Sub-Account-Id}), because a sub-account cannot have sub-accounts. The fee is always
 * charged to the main account ({@code charges}), in the transaction that stores the registration,
 * so neither exists without the other.
 *
 * <p>Nothing is sent to a provider here: the registration is stored as due at once (live) or at
 * its first sandbox stage, and the progress worker takes it from there, so an accepted
 * registration survives a crash and the request never waits on the carriers.
 */
final class Submission {
  private static final Logger LOG = LoggerFactory.getLogger(Submission.class);
  private static final int MAX_NAME = 100;

  private final Pool pool;
  private final RegistrationStore store;
  private final AccountsApi accounts;
  private final RegistrationSettings settings;
  private final String provider;

  Submission(Pool pool, RegistrationStore store, AccountsApi accounts,
      RegistrationSettings settings, String provider) {
    this.pool = pool;
    this.store = store;
    this.accounts = accounts;
    this.settings = settings;
    this.provider = provider;
  }

  /** Where the registration goes and who pays; {@code created}: a sub-account made for it. */
  private record Target(String accountId, String payer, boolean created) {
  }

  /** {@code {accountId, request}}. */
  Future<JsonObject> register(JsonObject payload) {
    String accountId = payload.getString("accountId");
    JsonObject request = payload.getJsonObject("request");
    return accounts.parentOf(accountId)
        .compose(parent -> {
          if (parent != null) {
            return Future.succeededFuture(new Target(accountId, parent, false));
          }
          if (!request.getBoolean("create_sub_account", true)) {
            return Future.succeededFuture(new Target(accountId, accountId, false));
          }
          return accounts.createSubAccount(accountId, subAccountName(request))
              .map(sub -> new Target(sub.getString("id"), accountId, true));
        })
        .compose(target -> store(target, request, payload)
            .recover(failure -> target.created()
                ? forget(target).transform(ignored -> Future.failedFuture(failure))
                : Future.failedFuture(failure)));
  }

  /** {@code payload}: the bus request, which names the key that asked (for the audit log). */
  private Future<JsonObject> store(Target target, JsonObject request, JsonObject payload) {
    String id = Ids.next("reg");
    boolean sandbox = RegistrationStore.SANDBOX.equals(provider);
    String stage = sandbox ? RegistrationStore.BRAND_SUBMITTED : RegistrationStore.RECEIVED;
    long firstCheck = sandbox ? settings.sandboxStageMillis() : 0;
    return pool.withTransaction(tx -> RegistrationStore.insert(tx, id, target.accountId(),
                target.payer(), request, provider, stage, settings.feeCents(), firstCheck)
            .compose(v -> Charges.oneTime(tx, target.payer(), "A2P 10DLC registration " + id
                + " for account " + target.accountId(), settings.feeCents()))
            // what was registered for whom, not the person's details the request carries
            .compose(charge -> AuditTrail.created(tx, payload, "registration", id,
                    new JsonObject().put("registrationType", request.getString("registration_type"))
                        .put("registeredAccountId", target.accountId())
                        .put("feeCents", settings.feeCents()))
                .map(charge)))
        .recover(failure -> Database.isUniqueViolation(failure)
            ? alreadyOpen(target.accountId()) : Future.failedFuture(failure))
        .map(charge -> new JsonObject()
            .put("ok", true)
            .put("message", message(target))
            .put("campaign_status", "pending")
            .put("sub_account_id", target.created() || !target.accountId().equals(target.payer())
                ? target.accountId() : null)
            .put("fee_cents", settings.feeCents()));
  }

  private String message(Target target) {
    String fee = String.format("$%d.%02d", settings.feeCents() / 100, settings.feeCents() % 100);
    String where = target.created()
        ? "Registration submitted for the new sub-account " + target.accountId()
        : target.accountId().equals(target.payer())
            ? "Registration submitted for this account"
            : "Registration submitted for the sub-account " + target.accountId();
    String status = target.accountId().equals(target.payer())
        ? "GET /v1/register/status"
        : "GET /v1/register/status with X-Sub-Account-Id: " + target.accountId();
    return where + ". The one-time " + fee + " fee was charged to the main account. Carriers "
        + "review the brand, then the campaign; follow it with " + status + ".";
  }

  private <T> Future<T> alreadyOpen(String accountId) {
    return store.latest(accountId).compose(open -> {
      String what = open == null ? "pending or approved" : "approved".equals(open.status())
          ? "approved" : "pending (stage " + open.stage() + ")";
      return Future.failedFuture(ApiError.conflict("This account already has a registration "
          + "that is " + what + ": read it with GET /v1/register/status. A new registration "
          + "can be submitted once a registration was rejected."));
    });
  }

  /** A sub-account made for a registration that could not be stored is deleted again. */
  private Future<Void> forget(Target target) {
    return accounts.deleteSubAccount(target.payer(), target.accountId())
        .onFailure(e -> LOG.warn("could not delete sub-account {} of a failed registration",
            target.accountId(), e))
        .<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  /** The new sub-account is named after the brand, the business or the person. */
  static String subAccountName(JsonObject request) {
    String brand = RegistrationRequest.brandName(request);
    String name = brand != null ? brand
        : request.getString("first_name") + " " + request.getString("last_name");
    name = (name + " (10DLC)").strip();
    return name.codePointCount(0, name.length()) <= MAX_NAME ? name
        : name.substring(0, name.offsetByCodePoints(0, MAX_NAME));
  }
}

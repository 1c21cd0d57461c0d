package dev.agentphone.registration;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** Answers the registration domain's API: submissions, status, the US SMS check, sandbox decisions. */
final class RegistrationVerticle extends VerticleBase {
  private final RegistrationStore store;
  private final Submission submission;
  private final UsSmsGate gate;

  RegistrationVerticle(RegistrationStore store, Submission submission, UsSmsGate gate) {
    this.store = store;
    this.submission = submission;
    this.gate = gate;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, RegistrationApi.REGISTER, submission::register);
    Bus.answer(vertx, RegistrationApi.STATUS, this::status);
    Bus.answer(vertx, RegistrationApi.CHECK_US_SMS,
        request -> gate.check(request.getString("accountId")));
    Bus.answer(vertx, RegistrationApi.SANDBOX_DECIDE, this::decide);
    return Future.succeededFuture();
  }

  private Future<JsonObject> status(JsonObject request) {
    String accountId = request.getString("accountId");
    return store.latest(accountId).compose(latest -> latest != null
        ? Future.succeededFuture(RegistrationStatus.of(latest))
        : store.latestOfSubAccounts(accountId).map(RegistrationStatus::none));
  }

  private Future<JsonObject> decide(JsonObject request) {
    String accountId = request.getString("accountId");
    return store.decide(accountId, request.getBoolean("approve"), request.getString("reason"))
        .compose(id -> {
          if (id == null) {
            throw ApiError.notFound("Pending sandbox registration");
          }
          return status(request);
        });
  }
}

package dev.agentphone.registration;

import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.a2p.A2pRegistry;
import dev.agentphone.providers.a2p.A2pRegistry.Outcome;
import dev.agentphone.providers.a2p.A2pRegistry.Review;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
/**
 * Moves pending registrations along, on every node. Each round takes the registrations that are
 * due ({@link RegistrationStore#claimDue}, {@code FOR UPDATE SKIP LOCKED}, so nodes share them
 * out and none is done twice) and does one step of each:
 *
 * <ul>
 *   <li>sandbox: the next stage, {@code registration.sandboxStageSeconds} after the last one was
 *       due (the schedule is counted from the submission, in the database, so a restart neither
 *       resets nor loses it), until {@code campaign_approved} approves it;</li>
 *   <li>live: submit the brand, read its review every {@code registration.pollSeconds}, submit
 *       the campaign once the brand is approved, read the campaign's review. The carriers'
 *       rejection, or the provider refusing what was submitted (400), rejects the registration
 *       with their reason; the provider failing (502) is tried again at the next poll.</li>
 * </ul>
 */
final class RegistrationProgress extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrationProgress.class);

  private final RegistrationStore store;
  private final RegistrationSettings settings;
  private final A2pRegistry registry;
  private long timer = -1;
  private boolean running;

  RegistrationProgress(RegistrationStore store, RegistrationSettings settings,
      A2pRegistry registry) {
    this.store = store;
    this.settings = settings;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(settings.workerIntervalMillis(), t -> round());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void round() {
    if (running) {
      return;
    }
    running = true;
    store.claimDue(settings.claimMillis(), settings.batchSize())
        .compose(due -> Future.join(due.stream().map(this::step).toList()))
        .onFailure(e -> LOG.warn("registration round failed: {}", e.toString()))
        .onComplete(done -> running = false);
  }

  private Future<Void> step(RegistrationStore.Due due) {
    Future<?> step = RegistrationStore.SANDBOX.equals(due.provider()) ? sandboxStep(due)
        : liveStep(due);
    return step.<Void>mapEmpty().recover(failure -> {
      if (failure instanceof ApiError error && error.status() == 400) {
        return store.advance(due.id(), due.stage(), due.stage(), "rejected",
            String.valueOf(error.detail()), null, null).mapEmpty();
      }
      LOG.warn("registration {} at stage {}: {}", due.id(), due.stage(), failure.getMessage());
      return store.retryLater(due.id(), due.stage(), failure.getMessage(), nextPoll());
    });
  }

  private Future<?> sandboxStep(RegistrationStore.Due due) {
    int at = RegistrationStore.STAGES.indexOf(due.stage());
    String next = RegistrationStore.STAGES.get(Math.min(at + 1, RegistrationStore.STAGES.size() - 1));
    boolean last = RegistrationStore.CAMPAIGN_APPROVED.equals(next);
    OffsetDateTime nextDue = due.dueAt().plusNanos(settings.sandboxStageMillis() * 1_000_000);
    return store.advance(due.id(), due.stage(), next, last ? "approved" : "pending", null,
        last ? null : nextDue, null);
  }

  private Future<?> liveStep(RegistrationStore.Due due) {
    if (registry == null) {
      return Future.failedFuture(new IllegalStateException("no A2P provider is configured; "
          + "the registration waits until Twilio is"));
    }
    JsonObject sids = due.sids();
    return switch (due.stage()) {
      case RegistrationStore.RECEIVED -> registry.submitBrand(due.id(), due.details())
          .compose(made -> store.advance(due.id(), due.stage(),
              RegistrationStore.BRAND_SUBMITTED, "pending", null, nextPoll(), made));
      case RegistrationStore.BRAND_SUBMITTED -> registry.brandReview(sids.getString("brandSid"))
          .compose(review -> reviewed(due, review, RegistrationStore.BRAND_APPROVED, now()));
      case RegistrationStore.BRAND_APPROVED -> registry.submitCampaign(due.id(),
              sids.getString("brandSid"), due.details())
          .compose(made -> store.advance(due.id(), due.stage(),
              RegistrationStore.CAMPAIGN_SUBMITTED, "pending", null, nextPoll(), made));
      case RegistrationStore.CAMPAIGN_SUBMITTED -> registry.campaignReview(
              sids.getString("messagingServiceSid"), sids.getString("campaignSid"))
          .compose(review -> reviewed(due, review, RegistrationStore.CAMPAIGN_APPROVED, null));
      default -> Future.failedFuture(new IllegalStateException("unknown stage " + due.stage()));
    };
  }

  /** A review's outcome: the next stage when approved, rejected with the reason, else wait. */
  private Future<?> reviewed(RegistrationStore.Due due, Review review, String approvedStage,
      OffsetDateTime thenCheck) {
    if (review.outcome() == Outcome.APPROVED) {
      boolean done = RegistrationStore.CAMPAIGN_APPROVED.equals(approvedStage);
      return store.advance(due.id(), due.stage(), approvedStage, done ? "approved" : "pending",
          null, thenCheck, null);
    }
    if (review.outcome() == Outcome.REJECTED) {
      return store.advance(due.id(), due.stage(), due.stage(), "rejected", review.reason(),
          null, null);
    }
    return store.retryLater(due.id(), due.stage(), null, nextPoll());
  }

  private OffsetDateTime nextPoll() {
    return now().plusNanos(settings.pollMillis() * 1_000_000);
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now();
  }
}

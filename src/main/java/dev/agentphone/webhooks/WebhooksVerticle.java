package dev.agentphone.webhooks;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.agents.AgentsApi;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;

import java.net.UnknownHostException;

/**
 * The webhooks domain: an account's and its agents' webhook configuration, the
 * {@link WebhooksApi#target} lookup other features use, the delivery log and stats, test
 * sends, secret rotation and replays.
 */
final class WebhooksVerticle extends VerticleBase {
  private final Pool pool;
  private final WebhookSettings settings;
  private final SsrfGuard guard;
  private final AgentsApi agents;
  private final WebhookRouting routing;
  private WebhookPoster poster;

  WebhooksVerticle(Pool pool, WebhookSettings settings, SsrfGuard guard, AgentsApi agents,
      WebhookRouting routing) {
    this.pool = pool;
    this.settings = settings;
    this.guard = guard;
    this.agents = agents;
    this.routing = routing;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, WebhooksApi.GET, request -> agentChecked(request)
        .compose(v -> WebhookStore.find(pool, accountId(request), agentId(request))));
    Bus.answer(vertx, WebhooksApi.PUT, this::put);
    Bus.answer(vertx, WebhooksApi.DELETE, this::delete);
    Bus.answer(vertx, WebhooksApi.TARGET, request -> routing
        .route(pool, request.getString("accountId"), request.getString("agentId"))
        .map(routed -> routed == null ? null : WebhookStore.targetJson(routed.webhook())));
    Bus.answer(vertx, WebhooksApi.DELIVERIES, request -> agentChecked(request)
        .compose(v -> DeliveryLog.page(pool, accountId(request), agentId(request),
            request.getInteger("limit"), request.getInteger("offset"),
            request.getInteger("hours"), request.getString("status"))));
    Bus.answer(vertx, WebhooksApi.STATS, request ->
        DeliveryLog.stats(pool, accountId(request), request.getInteger("hours")));
    Bus.answer(vertx, WebhooksApi.ALL_TIME, request -> DeliveryLog.allTime(pool, accountId(request)));
    Bus.answer(vertx, WebhooksApi.TEST, this::test);
    Bus.answer(vertx, WebhooksApi.ROTATE_SECRET, request -> agentChecked(request)
        .compose(v -> pool.withTransaction(tx -> WebhookStore.rotateSecret(tx,
                accountId(request), agentId(request), settings.secretOverlapMs())
            .compose(rotated -> {
              if (rotated == null) {
                return Future.failedFuture(ApiError.notFound("Webhook"));
              }
              // the audit log shows that the secret changed, never the secret itself
              return AuditTrail.updated(tx, request, audited(request), rotated.getString("id"),
                      new JsonObject().put("secret", "old"), new JsonObject().put("secret", "new"))
                  .map(rotated);
            }))));
    Bus.answer(vertx, WebhooksApi.REPLAY, request -> agentChecked(request)
        .compose(v -> DeliveryReplay.replay(pool, accountId(request), agentId(request),
            request.getString("deliveryId")))
        .onSuccess(v -> vertx.eventBus().publish(DeliveryReplay.REPLAYED, null)));
    Bus.answer(vertx, WebhooksApi.REPLAY_BULK, request -> agentChecked(request)
        .compose(v -> ReplayJobs.create(pool, accountId(request), agentId(request),
            new ReplayJobs.Selection(request.getString("status"),
                Times.parse(request.getString("since")), Times.parse(request.getString("until")),
                request.getString("eventType"))))
        .onSuccess(v -> vertx.eventBus().publish(ReplayRunner.QUEUED, null)));
    Bus.answer(vertx, WebhooksApi.REPLAY_JOB, request -> agentChecked(request)
        .compose(v -> ReplayJobs.read(pool, accountId(request), agentId(request),
            request.getString("jobId"))));
    poster = new WebhookPoster(vertx, settings, guard);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    poster.close();
    return Future.succeededFuture();
  }

  /**
   * Sends a signed sample event now and answers what happened. {@code agentWebhook}: to the
   * agent's own webhook; otherwise to the account's, with {@code agentId} (or the account's
   * first agent) in the payload.
   */
  private Future<JsonObject> test(JsonObject request) {
    String accountId = accountId(request);
    String agentId = agentId(request);
    boolean agentWebhook = Boolean.TRUE.equals(request.getBoolean("agentWebhook"));
    Future<JsonObject> agent = agentId != null ? agents.get(accountId, agentId)
        : agents.list(accountId, 100, 0)
            .map(page -> {
              JsonArray agents = page.getJsonArray("data");
              // listed newest first: the last one is the account's first agent
              return agents.isEmpty() ? null : agents.getJsonObject(agents.size() - 1);
            });
    return agent.compose(sample -> WebhookStore.findRow(pool, accountId,
            agentWebhook ? agentId : null)
        .compose(webhook -> {
          if (webhook == null) {
            return Future.failedFuture(ApiError.notFound("Webhook"));
          }
          return poster.post(webhook.getString("url"), WebhookStore.signingSecrets(webhook),
              webhook.getInteger("timeout_seconds"), Ids.next("whd"),
              TestSend.sampleBody(accountId, sample));
        })
        .map(attempt -> new JsonObject()
            .put("success", attempt.success())
            .put("statusCode", attempt.httpStatus())
            .put("responseMs", attempt.durationMs())
            .put("error", attempt.error())));
  }

  private Future<JsonObject> put(JsonObject request) {
    String url = request.getString("url");
    return agentChecked(request)
        .compose(v -> refuseForbidden(url))
        .compose(v -> pool.withTransaction(tx -> WebhookStore.find(tx, accountId(request),
                agentId(request))
            .compose(before -> WebhookStore.upsert(tx, accountId(request), agentId(request), url,
                    request.getInteger("contextLimit"), request.getInteger("timeout"))
                .compose(after -> (before == null
                    ? AuditTrail.created(tx, request, audited(request), after.getString("id"), after)
                    : AuditTrail.updated(tx, request, audited(request), after.getString("id"),
                        before, after)).map(after)))));
  }

  /** What the audit log calls the webhook: the account's or an agent's. */
  private static String audited(JsonObject request) {
    return agentId(request) == null ? "webhook" : "agent_webhook";
  }

  private Future<JsonObject> delete(JsonObject request) {
    return agentChecked(request)
        .compose(v -> pool.withTransaction(tx -> WebhookStore.delete(tx, accountId(request),
                agentId(request))
            .compose(deleted -> {
              if (deleted == null) {
                throw ApiError.notFound("Webhook");
              }
              return AuditTrail.deleted(tx, request, audited(request), deleted.getString("id"),
                  deleted);
            })))
        .map(done -> new JsonObject().put("success", true).put("message", "Webhook deleted"));
  }

  /**
   * Refuses a URL whose host resolves to a forbidden address now; a name that does not resolve
   * yet is accepted (it is checked again before every connection).
   */
  private Future<Void> refuseForbidden(String url) {
    if (guard.allowsPrivateTargets()) {
      return Future.succeededFuture();
    }
    return guard.resolve(url)
        .<Void>mapEmpty()
        .recover(failure -> {
          if (failure instanceof UnknownHostException) {
            return Future.succeededFuture();
          }
          if (failure instanceof SsrfGuard.Refused refused) {
            return Future.failedFuture(ApiError.invalid(new JsonArray().add("body").add("url"),
                "value_error", "Value error, " + refused.getMessage()));
          }
          return Future.failedFuture(failure);
        });
  }

  /** 404 unless the request's agent (when it names one) is one of the caller's agents. */
  Future<Void> agentChecked(JsonObject request) {
    String agentId = agentId(request);
    if (agentId == null) {
      return Future.succeededFuture();
    }
    return agents.requireAgent(accountId(request), agentId);
  }

  static String accountId(JsonObject request) {
    return request.getString("accountId");
  }

  static String agentId(JsonObject request) {
    return request.getString("agentId");
  }
}

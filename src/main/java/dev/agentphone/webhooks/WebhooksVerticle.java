package dev.agentphone.webhooks;

import dev.agentphone.Engine;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.net.UnknownHostException;

/**
 * The webhooks domain: an account's and its agents' webhook configuration, the
 * {@link #TARGET} lookup other features use, the delivery log and stats, and test sends.
 */
public final class WebhooksVerticle extends VerticleBase {
  public static final String GET = "webhooks.get";
  public static final String PUT = "webhooks.put";
  public static final String DELETE = "webhooks.delete";
  /**
   * {@code {accountId, agentId}} → {@code {id, url, secret, contextLimit, timeout}} of the
   * webhook that receives that agent's events (its own, else the account's), or null.
   */
  public static final String TARGET = "webhooks.target";
  public static final String DELIVERIES = "webhooks.deliveries";
  public static final String AGENT_DELIVERIES = "webhooks.agentDeliveries";
  public static final String STATS = "webhooks.stats";
  public static final String ALL_TIME = "webhooks.allTime";
  public static final String TEST = "webhooks.test";

  private final Engine engine;
  private final Pool pool;
  private final WebhookSettings settings;
  private WebhookPoster poster;

  public WebhooksVerticle(Engine engine) {
    this.engine = engine;
    this.pool = engine.pool();
    this.settings = WebhookSettings.from(engine.config());
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, GET, request -> agentChecked(request)
        .compose(v -> WebhookStore.find(pool, accountId(request), agentId(request))));
    Bus.answer(vertx, PUT, this::put);
    Bus.answer(vertx, DELETE, this::delete);
    Bus.answer(vertx, TARGET, request -> WebhookStore
        .target(pool, request.getString("accountId"), request.getString("agentId"))
        .map(row -> row == null ? null : WebhookStore.targetJson(row)));
    Bus.answer(vertx, DELIVERIES, request -> DeliveryLog.page(pool, accountId(request),
        request.getInteger("limit"), request.getInteger("offset"), request.getInteger("hours")));
    Bus.answer(vertx, AGENT_DELIVERIES, request -> agentChecked(request)
        .compose(v -> DeliveryLog.forAgent(pool, accountId(request), agentId(request),
            request.getInteger("limit"))));
    Bus.answer(vertx, STATS, request ->
        DeliveryLog.stats(pool, accountId(request), request.getInteger("hours")));
    Bus.answer(vertx, ALL_TIME, request -> DeliveryLog.allTime(pool, accountId(request)));
    Bus.answer(vertx, TEST, this::test);
    poster = new WebhookPoster(vertx, settings);
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
    Future<JsonObject> agent = agentId != null
        ? Bus.request(vertx, AgentsVerticle.GET,
            new JsonObject().put("accountId", accountId).put("agentId", agentId))
        : Bus.<JsonObject>request(vertx, AgentsVerticle.LIST, new JsonObject()
                .put("accountId", accountId).put("limit", 100).put("offset", 0))
            .map(page -> {
              JsonArray agents = page.getJsonArray("data");
              // listed newest first: the last one is the account's first agent
              return agents.isEmpty() ? null : agents.getJsonObject(agents.size() - 1);
            });
    return agent.compose(sample -> WebhookStore.find(pool, accountId,
            agentWebhook ? agentId : null)
        .compose(webhook -> {
          if (webhook == null) {
            return Future.failedFuture(ApiError.notFound("Webhook"));
          }
          return poster.post(webhook.getString("url"), webhook.getString("secret"),
              webhook.getInteger("timeout"), dev.agentphone.platform.Ids.next("whd"),
              TestSend.sampleBody(sample));
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
        .compose(v -> WebhookStore.upsert(pool, accountId(request), agentId(request), url,
            request.getInteger("contextLimit"), request.getInteger("timeout")));
  }

  private Future<JsonObject> delete(JsonObject request) {
    return agentChecked(request)
        .compose(v -> WebhookStore.delete(pool, accountId(request), agentId(request)))
        .map(deleted -> {
          if (!deleted) {
            throw ApiError.notFound("Webhook");
          }
          return new JsonObject().put("success", true).put("message", "Webhook deleted");
        });
  }

  /**
   * Refuses a URL whose host resolves to a forbidden address now; a name that does not resolve
   * yet is accepted (it is checked again before every connection).
   */
  private Future<Void> refuseForbidden(String url) {
    if (settings.allowPrivateTargets()) {
      return Future.succeededFuture();
    }
    return SsrfGuard.resolve(vertx, url, settings.allowPrivateTargets())
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
    return Bus.request(vertx, AgentsVerticle.GET,
        new JsonObject().put("accountId", accountId(request)).put("agentId", agentId)).mapEmpty();
  }

  static String accountId(JsonObject request) {
    return request.getString("accountId");
  }

  static String agentId(JsonObject request) {
    return request.getString("agentId");
  }
}

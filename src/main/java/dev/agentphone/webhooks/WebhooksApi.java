package dev.agentphone.webhooks;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The webhooks domain's published API over the event bus, scoped to {@code accountId}. An
 * {@code agentId} of null means the account's own webhook; otherwise the agent's (which must be
 * one of the account's agents, else 404).
 */
public final class WebhooksApi {
  static final String GET = "webhooks.get";
  static final String PUT = "webhooks.put";
  static final String DELETE = "webhooks.delete";
  static final String TARGET = "webhooks.target";
  static final String DELIVERIES = "webhooks.deliveries";
  static final String STATS = "webhooks.stats";
  static final String ALL_TIME = "webhooks.allTime";
  static final String TEST = "webhooks.test";

  private final Vertx vertx;

  public WebhooksApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Where an agent's events go and how: the webhook's URL, signing secret and limits. */
  public record Target(String id, String url, String secret, int contextLimit, int timeout) {
  }

  /** The account's or the agent's own webhook ({@code WebhookResponse}), or null. */
  public Future<JsonObject> get(String accountId, String agentId) {
    return Bus.request(vertx, GET, scope(accountId, agentId));
  }

  /** Creates or replaces the webhook; a URL reaching a forbidden address is a 422. */
  public Future<JsonObject> put(String accountId, String agentId, String url, int contextLimit,
      int timeout) {
    return Bus.request(vertx, PUT, scope(accountId, agentId).put("url", url)
        .put("contextLimit", contextLimit).put("timeout", timeout));
  }

  public Future<JsonObject> delete(String accountId, String agentId) {
    return Bus.request(vertx, DELETE, scope(accountId, agentId));
  }

  /**
   * The webhook that receives {@code agentId}'s events: its own, else the account's, else (for a
   * sub-account) its parent's account webhook; null when there is none.
   */
  public Future<Target> target(String accountId, String agentId) {
    return Bus.<JsonObject>request(vertx, TARGET, scope(accountId, agentId))
        .map(json -> json == null ? null : new Target(json.getString("id"),
            json.getString("url"), json.getString("secret"), json.getInteger("contextLimit"),
            json.getInteger("timeout")));
  }

  /**
   * A page of the delivery log, newest first: the account's deliveries when {@code agentId} is
   * null, else those that went to that agent's own webhook. {@code hours} null means all of it.
   */
  public Future<JsonObject> deliveries(String accountId, String agentId, int limit, int offset,
      Integer hours) {
    JsonObject request = scope(accountId, agentId).put("limit", limit).put("offset", offset);
    if (hours != null) {
      request.put("hours", hours);
    }
    return Bus.request(vertx, DELIVERIES, request);
  }

  public Future<JsonObject> stats(String accountId, int hours) {
    return Bus.request(vertx, STATS, scope(accountId, null).put("hours", hours));
  }

  public Future<JsonObject> allTime(String accountId) {
    return Bus.request(vertx, ALL_TIME, scope(accountId, null));
  }

  /**
   * Sends a signed sample event now and answers what happened. {@code agentWebhook}: to the
   * agent's own webhook; otherwise to the account's, naming {@code agentId} (or the account's
   * first agent).
   */
  public Future<JsonObject> test(String accountId, String agentId, boolean agentWebhook) {
    return Bus.request(vertx, TEST, scope(accountId, agentId).put("agentWebhook", agentWebhook));
  }

  private static JsonObject scope(String accountId, String agentId) {
    JsonObject request = Bus.scope(accountId);
    return agentId == null ? request : request.put("agentId", agentId);
  }
}

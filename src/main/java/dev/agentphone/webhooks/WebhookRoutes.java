package dev.agentphone.webhooks;

import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /v1/webhooks} (the account's webhook, delivery log, stats, test sends) and
 * {@code /v1/agents/{id}/webhook} (an agent's own webhook).
 */
final class WebhookRoutes implements Routes {
  static final int MAX_URL_LENGTH = 2083;
  /** A delivery's states; {@code failed} lists the dead letters. */
  static final java.util.List<String> STATUSES = java.util.List.of("pending", "success", "failed");

  private final WebhooksApi webhooks;

  WebhookRoutes(WebhooksApi webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/webhooks/deliveries/stats").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int hours = query.queryInt("hours", 24, 1, 168);
      query.check();
      Responses.answer(ctx, webhooks.stats(Caller.accountOf(ctx), hours));
    }));
    api.get("/webhooks/deliveries/all-time").handler(ctx ->
        Responses.answer(ctx, webhooks.allTime(Caller.accountOf(ctx))));
    api.get("/webhooks/deliveries").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 0, 100);
      int offset = query.queryInt("offset", 0, 0, null);
      boolean windowed = query.queryString("hours") != null;
      int hours = query.queryInt("hours", 0, 1, 168);
      String status = query.queryEnum("status", STATUSES);
      query.check();
      Responses.answer(ctx, webhooks.deliveries(Caller.accountOf(ctx), limit, offset,
          windowed ? hours : null, status));
    }));
    api.post("/webhooks/test").handler(ctx -> {
      String agentId = ctx.request().getParam("agentId");
      Responses.answer(ctx, webhooks.test(Caller.accountOf(ctx),
          agentId == null || agentId.isBlank() ? null : agentId, false));
    });
    api.get("/agents/:agent_id/webhook/deliveries").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 0, 100);
      String status = query.queryEnum("status", STATUSES);
      query.check();
      Responses.answer(ctx, webhooks.agentDeliveries(Caller.accountOf(ctx), agentId(ctx), limit,
          status));
    }));
    api.post("/agents/:agent_id/webhook/test").handler(ctx ->
        Responses.answer(ctx, webhooks.test(Caller.accountOf(ctx), agentId(ctx), true)));

    mountConfiguration(api, "/webhooks", ctx -> null);
    mountConfiguration(api, "/agents/:agent_id/webhook", WebhookRoutes::agentId);
  }

  /** GET, POST (create or replace) and DELETE of the webhook at {@code path}. */
  private void mountConfiguration(Router api, String path,
      java.util.function.Function<RoutingContext, String> agent) {
    api.get(path).handler(ctx ->
        Responses.answer(ctx, webhooks.get(Caller.accountOf(ctx), agent.apply(ctx))));
    api.post(path).handler(Responses.guarded(ctx ->
        Responses.answer(ctx, configure(ctx, agent.apply(ctx)))));
    api.delete(path).handler(ctx ->
        Responses.answer(ctx, webhooks.delete(Caller.accountOf(ctx), agent.apply(ctx))));
  }

  private static String agentId(RoutingContext ctx) {
    return ctx.pathParam("agent_id");
  }

  /** A {@code WebhookCreateRequest}, validated, with the contract's defaults applied. */
  private Future<JsonObject> configure(RoutingContext ctx, String agentId) {
    Validator body = Validator.body(ctx);
    String url = body.requiredString("url");
    if (url != null) {
      // strip(), not trim(): trim() also drops control characters, a changed URL stored silently
      url = url.strip();
      if (url.isEmpty()) {
        body.reject("url", "string_too_short", "String should have at least 1 character");
      } else if (url.length() > MAX_URL_LENGTH) {
        body.reject("url", "string_too_long", "String should have at most 2083 characters");
      } else {
        String problem = SsrfGuard.formProblem(url);
        if (problem != null) {
          body.reject("url", problem.startsWith("URL scheme") ? "url_scheme" : "url_parsing",
              problem);
        }
      }
    }
    Integer contextLimit = body.optionalIntBetween("contextLimit", 0, 50);
    Integer timeout = body.optionalIntBetween("timeout", 5, 120);
    body.check();
    return webhooks.put(Caller.accountOf(ctx), agentId, url,
        contextLimit == null ? 10 : contextLimit, timeout == null ? 30 : timeout);
  }
}

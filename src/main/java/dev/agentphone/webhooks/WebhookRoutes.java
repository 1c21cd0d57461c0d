package dev.agentphone.webhooks;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /v1/webhooks} (the account's webhook, delivery log, stats, test sends) and
 * {@code /v1/agents/{id}/webhook} (an agent's own webhook).
 */
public final class WebhookRoutes implements Routes {
  static final int MAX_URL_LENGTH = 2083;

  @Override
  public void mountApi(Router api, Engine engine) {
    api.get("/webhooks/deliveries/stats").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int hours = query.queryInt("hours", 24, 1, 168);
      query.check();
      Responses.forward(ctx, WebhooksVerticle.STATS, Caller.of(ctx).payload().put("hours", hours));
    }));
    api.get("/webhooks/deliveries/all-time").handler(ctx ->
        Responses.forward(ctx, WebhooksVerticle.ALL_TIME, Caller.of(ctx).payload()));
    api.get("/webhooks/deliveries").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 0, 100);
      int offset = query.queryInt("offset", 0, 0, null);
      boolean windowed = query.queryString("hours") != null;
      int hours = query.queryInt("hours", 0, 1, 168);
      query.check();
      JsonObject payload = Caller.of(ctx).payload().put("limit", limit).put("offset", offset);
      if (windowed) {
        payload.put("hours", hours);
      }
      Responses.forward(ctx, WebhooksVerticle.DELIVERIES, payload);
    }));
    api.post("/webhooks/test").handler(ctx -> {
      JsonObject payload = Caller.of(ctx).payload();
      String agentId = ctx.request().getParam("agentId");
      if (agentId != null && !agentId.isBlank()) {
        payload.put("agentId", agentId);
      }
      Responses.forward(ctx, WebhooksVerticle.TEST, payload);
    });
    api.get("/agents/:agent_id/webhook/deliveries").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 0, 100);
      query.check();
      Responses.forward(ctx, WebhooksVerticle.AGENT_DELIVERIES,
          agentScoped(ctx).put("limit", limit));
    }));
    api.post("/agents/:agent_id/webhook/test").handler(ctx ->
        Responses.forward(ctx, WebhooksVerticle.TEST, agentScoped(ctx).put("agentWebhook", true)));

    api.get("/webhooks").handler(ctx ->
        Responses.forward(ctx, WebhooksVerticle.GET, Caller.of(ctx).payload()));
    api.post("/webhooks").handler(Responses.guarded(ctx ->
        Responses.forward(ctx, WebhooksVerticle.PUT, configuration(ctx, Caller.of(ctx).payload()))));
    api.delete("/webhooks").handler(ctx ->
        Responses.forward(ctx, WebhooksVerticle.DELETE, Caller.of(ctx).payload()));

    api.get("/agents/:agent_id/webhook").handler(ctx ->
        Responses.forward(ctx, WebhooksVerticle.GET, agentScoped(ctx)));
    api.post("/agents/:agent_id/webhook").handler(Responses.guarded(ctx ->
        Responses.forward(ctx, WebhooksVerticle.PUT, configuration(ctx, agentScoped(ctx)))));
    api.delete("/agents/:agent_id/webhook").handler(ctx ->
        Responses.forward(ctx, WebhooksVerticle.DELETE, agentScoped(ctx)));
  }

  static JsonObject agentScoped(RoutingContext ctx) {
    return Caller.of(ctx).payload().put("agentId", ctx.pathParam("agent_id"));
  }

  /** A {@code WebhookCreateRequest}, validated, with the contract's defaults applied. */
  private static JsonObject configuration(RoutingContext ctx, JsonObject payload) {
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
    return payload.put("url", url)
        .put("contextLimit", contextLimit == null ? 10 : contextLimit)
        .put("timeout", timeout == null ? 30 : timeout);
  }
}

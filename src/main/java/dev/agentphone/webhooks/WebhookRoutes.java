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
      url = url.trim();
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

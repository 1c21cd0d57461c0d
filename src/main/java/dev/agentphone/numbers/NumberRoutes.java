package dev.agentphone.numbers;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import dev.agentphone.messaging.MessagingVerticle;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;

/** {@code /v1/numbers} and attaching numbers to agents ({@code /v1/agents/{id}/numbers}). */
public final class NumberRoutes implements Routes {
  @Override
  public void mountApi(Router api, Engine engine) {
    api.post("/numbers").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String country = body.optionalString("country");
      String areaCode = body.optionalString("areaCode");
      String agentId = body.optionalString("agentId");
      String type = body.optionalEnum("type", List.of("sms", "imessage"));
      country = country == null ? "US" : country.trim().toUpperCase(Locale.ROOT);
      if (!country.matches("[A-Z]{2}")) {
        body.reject("country", "value_error", "country is an ISO 3166 two-letter code like US");
      }
      if (areaCode != null && !areaCode.trim().matches("\\d{3}")) {
        body.reject("areaCode", "value_error", "areaCode is three digits like 415");
      }
      body.check();
      Responses.forward(ctx, NumbersVerticle.BUY, Caller.of(ctx).payload()
          .put("country", country)
          .put("areaCode", areaCode == null ? null : areaCode.trim())
          .put("agentId", agentId)
          .put("type", type == null ? "sms" : type));
    }));

    api.get("/numbers").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 20, 1, 100);
      int offset = query.queryInt("offset", 0, 0, null);
      query.check();
      Responses.forward(ctx, NumbersVerticle.LIST,
          Caller.of(ctx).payload().put("limit", limit).put("offset", offset));
    }));

    api.get("/numbers/:number_id").handler(ctx ->
        Responses.forward(ctx, NumbersVerticle.GET, number(ctx)));

    api.delete("/numbers/:number_id").handler(ctx ->
        Responses.forward(ctx, NumbersVerticle.RELEASE, number(ctx)));

    api.get("/numbers/:number_id/messages").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      String before = query.queryTimestamp("before");
      String after = query.queryTimestamp("after");
      query.check();
      Responses.forward(ctx, MessagingVerticle.BY_NUMBER, number(ctx)
          .put("limit", limit).put("before", before).put("after", after));
    }));

    api.post("/agents/:agent_id/numbers").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String numberId = body.requiredString("numberId");
      body.check();
      Responses.forward(ctx, NumbersVerticle.ATTACH, Caller.of(ctx).payload()
          .put("agentId", ctx.pathParam("agent_id")).put("numberId", numberId));
    }));

    api.delete("/agents/:agent_id/numbers/:number_id").handler(ctx ->
        Responses.forward(ctx, NumbersVerticle.DETACH, number(ctx)
            .put("agentId", ctx.pathParam("agent_id"))));
  }

  private static JsonObject number(RoutingContext ctx) {
    return Caller.of(ctx).payload().put("numberId", ctx.pathParam("number_id"));
  }
}

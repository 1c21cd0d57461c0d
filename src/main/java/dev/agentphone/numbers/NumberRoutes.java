package dev.agentphone.numbers;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Locale;

/** {@code /v1/numbers} and attaching numbers to agents ({@code /v1/agents/{id}/numbers}). */
final class NumberRoutes implements Routes {
  private final NumbersApi numbers;

  NumberRoutes(NumbersApi numbers) {
    this.numbers = numbers;
  }

  @Override
  public void mountApi(Router api) {
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
      Responses.answer(ctx, numbers.buy(Caller.accountOf(ctx), country,
          areaCode == null ? null : areaCode.trim(), agentId, type == null ? "sms" : type));
    }));

    api.get("/numbers").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 20, 1, 100);
      int offset = query.queryInt("offset", 0, 0, null);
      query.check();
      Responses.answer(ctx, numbers.list(Caller.accountOf(ctx), limit, offset));
    }));

    api.get("/numbers/:number_id").handler(ctx -> Responses.answer(ctx,
        numbers.get(Caller.accountOf(ctx), ctx.pathParam("number_id"))));

    api.delete("/numbers/:number_id").handler(ctx -> Responses.answer(ctx,
        numbers.release(Caller.accountOf(ctx), ctx.pathParam("number_id"))));

    api.post("/agents/:agent_id/numbers").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String numberId = body.requiredString("numberId");
      body.check();
      Responses.answer(ctx, numbers.attach(Caller.accountOf(ctx), ctx.pathParam("agent_id"),
          numberId));
    }));

    api.delete("/agents/:agent_id/numbers/:number_id").handler(ctx -> Responses.answer(ctx,
        numbers.detach(Caller.accountOf(ctx), ctx.pathParam("agent_id"),
            ctx.pathParam("number_id"))));
  }
}

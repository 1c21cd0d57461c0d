package dev.agentphone.usage;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import io.vertx.ext.web.Router;

import java.util.List;

/** {@code /v1/usage}: the account's usage, days and months in UTC. */
public final class UsageRoutes implements Routes {
  private static final List<String> PERIODS = List.of("week", "month", "year");

  @Override
  public void mountApi(Router api, Engine engine) {
    api.get("/usage").handler(ctx ->
        Responses.forward(ctx, UsageVerticle.SUMMARY, Caller.of(ctx).payload()));

    api.get("/usage/daily").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int days = query.queryInt("days", 30, 1, 365);
      query.check();
      Responses.forward(ctx, UsageVerticle.DAILY, Caller.of(ctx).payload().put("days", days));
    }));

    api.get("/usage/monthly").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int months = query.queryInt("months", 6, 1, 24);
      query.check();
      Responses.forward(ctx, UsageVerticle.MONTHLY,
          Caller.of(ctx).payload().put("months", months));
    }));

    api.get("/usage/by-number").handler(Responses.guarded(ctx -> breakdown(ctx,
        UsageVerticle.BY_NUMBER)));
    api.get("/usage/by-agent").handler(Responses.guarded(ctx -> breakdown(ctx,
        UsageVerticle.BY_AGENT)));
  }

  private static void breakdown(io.vertx.ext.web.RoutingContext ctx, String address) {
    Validator query = Validator.query(ctx);
    String period = query.queryEnum("period", PERIODS);
    query.check();
    Responses.forward(ctx, address, Caller.of(ctx).payload()
        .put("period", period == null ? "month" : period));
  }
}

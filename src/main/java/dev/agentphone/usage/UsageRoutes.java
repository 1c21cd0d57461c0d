package dev.agentphone.usage;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

import java.util.List;

/** {@code /v1/usage}: the account's usage, days and months in UTC. */
final class UsageRoutes implements Routes {
  private static final List<String> PERIODS = List.of("week", "month", "year");

  private final UsageApi usage;

  UsageRoutes(UsageApi usage) {
    this.usage = usage;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/usage").handler(ctx -> Responses.answer(ctx, usage.summary(Caller.accountOf(ctx))));

    api.get("/usage/daily").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int days = query.queryInt("days", 30, 1, 365);
      query.check();
      Responses.answer(ctx, usage.daily(Caller.accountOf(ctx), days));
    }));

    api.get("/usage/monthly").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int months = query.queryInt("months", 6, 1, 24);
      query.check();
      Responses.answer(ctx, usage.monthly(Caller.accountOf(ctx), months));
    }));

    api.get("/usage/by-number").handler(Responses.guarded(ctx ->
        Responses.answer(ctx, usage.byNumber(Caller.accountOf(ctx), period(ctx)))));
    api.get("/usage/by-agent").handler(Responses.guarded(ctx ->
        Responses.answer(ctx, usage.byAgent(Caller.accountOf(ctx), period(ctx)))));
  }

  private static String period(io.vertx.ext.web.RoutingContext ctx) {
    Validator query = Validator.query(ctx);
    String period = query.queryEnum("period", PERIODS);
    query.check();
    return period == null ? "month" : period;
  }
}

package dev.agentphone.webhooks;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

/**
 * Replays (one delivery, or a throttled bulk job and its progress) and secret rotation, for the
 * account's webhook under {@code /v1/webhooks} and for an agent's own under
 * {@code /v1/agents/{id}/webhook}.
 */
final class WebhookReplayRoutes implements Routes {
  static final List<String> REPLAYABLE = List.of("failed", "success");
  static final int MAX_EVENT_TYPE_LENGTH = 100;

  private final WebhooksApi webhooks;
  private final Duration maxWindow;

  WebhookReplayRoutes(WebhooksApi webhooks, int maxWindowDays) {
    this.webhooks = webhooks;
    this.maxWindow = Duration.ofDays(maxWindowDays);
  }

  @Override
  public void mountApi(Router api) {
    mount(api, "/webhooks", ctx -> null);
    mount(api, "/agents/:agent_id/webhook", ctx -> ctx.pathParam("agent_id"));
  }

  private void mount(Router api, String base, Function<RoutingContext, String> agent) {
    api.post(base + "/rotate-secret").handler(ctx ->
        Responses.answer(ctx, webhooks.rotateSecret(Caller.accountOf(ctx), agent.apply(ctx))));
    api.post(base + "/deliveries/replay").handler(Responses.guarded(ctx ->
        Responses.answer(ctx, replayBulk(ctx, agent.apply(ctx)), 202)));
    api.post(base + "/deliveries/:delivery_id/replay").handler(ctx ->
        Responses.answer(ctx, webhooks.replay(Caller.accountOf(ctx), agent.apply(ctx),
            ctx.pathParam("delivery_id")), 202));
    api.get(base + "/replays/:job_id").handler(ctx ->
        Responses.answer(ctx, webhooks.replayJob(Caller.accountOf(ctx), agent.apply(ctx),
            ctx.pathParam("job_id"))));
  }

  /** A {@code WebhookReplayRequest}: which settled deliveries, created in [since, until). */
  private Future<JsonObject> replayBulk(RoutingContext ctx, String agentId) {
    Validator body = Validator.body(ctx);
    String status = body.requiredEnum("status", REPLAYABLE);
    OffsetDateTime since = timestamp(body, "since");
    OffsetDateTime until = timestamp(body, "until");
    String eventType = body.optionalString("eventType");
    if (eventType != null && (eventType.isBlank() || eventType.length() > MAX_EVENT_TYPE_LENGTH)) {
      body.reject("eventType", "value_error", "Value error, eventType must be 1 to "
          + MAX_EVENT_TYPE_LENGTH + " characters");
    }
    if (since != null && until != null) {
      if (!since.isBefore(until)) {
        body.reject("until", "value_error", "Value error, until must be later than since");
      } else if (Duration.between(since, until).compareTo(maxWindow) > 0) {
        body.reject("until", "value_error", "Value error, the window from since to until may "
            + "span at most " + maxWindow.toDays() + " days");
      }
    }
    body.check();
    return webhooks.replayBulk(Caller.accountOf(ctx), agentId, status, Times.format(since),
        Times.format(until), eventType);
  }

  /** A required ISO-8601 timestamp (UTC when it has no offset) between the years 1 and 9999. */
  private static OffsetDateTime timestamp(Validator body, String field) {
    String text = body.requiredString(field);
    if (text == null) {
      return null;
    }
    OffsetDateTime parsed = Times.parse(text.strip());
    if (parsed == null || parsed.getYear() < 1 || parsed.getYear() > 9999) {
      body.reject(field, "datetime_parsing", "Input should be a valid datetime");
      return null;
    }
    return parsed;
  }
}

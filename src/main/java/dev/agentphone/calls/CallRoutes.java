package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.providers.retell.LlmSocketUrls;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.providers.retell.RetellSignature;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** The calls API under {@code /v1}, Retell's webhook and its custom-LLM WebSocket. */
public final class CallRoutes implements Routes {
  private static final List<String> STATUSES = List.of("completed", "in-progress", "failed");
  private static final List<String> DIRECTIONS = List.of("inbound", "outbound");
  private static final List<String> TYPES = List.of("pstn", "web");

  @Override
  public void mountApi(Router api, Engine engine) {
    api.post("/calls/web").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String agentId = body.requiredString("agentId");
      JsonObject metadata = body.optionalObject("metadata");
      body.check();
      Responses.forward(ctx, CallsVerticle.CREATE_WEB, Caller.of(ctx).payload()
          .put("agentId", agentId).put("metadata", metadata));
    }));

    api.post("/calls").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject call = new JsonObject()
          .put("agentId", body.requiredString("agentId"))
          .put("toNumber", body.requiredString("toNumber"))
          .put("fromNumberId", body.optionalString("fromNumberId"))
          .put("initialGreeting", body.optionalString("initialGreeting"))
          .put("voice", body.optionalString("voice"))
          .put("systemPrompt", body.optionalString("systemPrompt"));
      String to = call.getString("toNumber");
      if (to != null && !PhoneNumbers.isStrictE164(to)) {
        body.reject("toNumber", "value_error",
            "Value error, toNumber must be an E.164 phone number such as +14155550123");
      }
      body.check();
      Responses.forward(ctx, CallsVerticle.CREATE, Caller.of(ctx).payload().put("call", call));
    }));

    api.get("/calls").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      JsonObject request = paging(query, Caller.of(ctx).payload())
          .put("status", query.queryEnum("status", STATUSES))
          .put("direction", query.queryEnum("direction", DIRECTIONS))
          .put("type", query.queryEnum("type", TYPES))
          .put("search", query.queryString("search"));
      query.check();
      Responses.forward(ctx, CallsVerticle.LIST, request);
    }));

    api.get("/agents/:agent_id/calls").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      JsonObject request = paging(query, Caller.of(ctx).payload())
          .put("agentId", ctx.pathParam("agent_id"));
      query.check();
      Responses.forward(ctx, CallsVerticle.LIST, request);
    }));

    api.get("/numbers/:number_id/calls").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      JsonObject request = paging(query, Caller.of(ctx).payload())
          .put("numberId", ctx.pathParam("number_id"));
      query.check();
      Responses.forward(ctx, CallsVerticle.LIST, request);
    }));

    api.get("/calls/:call_id").handler(ctx ->
        Responses.forward(ctx, CallsVerticle.GET, scoped(ctx)));
    api.get("/calls/:call_id/transcript").handler(ctx ->
        Responses.forward(ctx, CallsVerticle.TRANSCRIPT, scoped(ctx)));
    api.post("/calls/:call_id/end").handler(ctx ->
        Responses.forward(ctx, CallsVerticle.END, scoped(ctx)));

    long heartbeat = engine.config().longValue("voice.sseHeartbeatMillis", 15_000);
    api.get("/calls/:call_id/transcript/stream").handler(ctx -> {
      int after = -1;
      String last = ctx.request().getHeader("Last-Event-ID");
      if (last == null) {
        last = ctx.request().getParam("lastEventId");
      }
      if (last != null) {
        try {
          after = Integer.parseInt(last.trim());
        } catch (NumberFormatException ignored) {
          // an id we never sent: replay everything
        }
      }
      new TranscriptStream(ctx, ctx.pathParam("call_id"), heartbeat)
          .start(scoped(ctx).put("after", after));
    });
  }

  @Override
  public void mountPublic(Router root, Engine engine) {
    String key = RetellClient.apiKey(engine.config());
    long tolerance = engine.config().longValue("retell.signatureToleranceSeconds", 300) * 1000;
    root.post("/webhooks/retell").handler(ctx -> {
      String raw = ctx.body() == null ? null : ctx.body().asString();
      if (!RetellSignature.verify(key, raw, ctx.request().getHeader(RetellSignature.HEADER),
          System.currentTimeMillis(), tolerance)) {
        Responses.json(ctx, 403, new JsonObject().put("detail", "Invalid signature"));
        return;
      }
      JsonObject event;
      try {
        event = new JsonObject(raw);
      } catch (RuntimeException e) {
        Responses.json(ctx, 400, new JsonObject().put("detail", "Body is not a JSON object"));
        return;
      }
      Bus.request(ctx.vertx(), CallsVerticle.RETELL_EVENT, event).onComplete(done -> {
        if (done.succeeded()) {
          ctx.response().setStatusCode(204).end();
        } else {
          Responses.error(ctx, done.cause());
        }
      });
    });

    // the secret is checked before the upgrade: a socket without it never gets to send a frame
    LlmSocketUrls sockets = engine.llmSocketUrls();
    root.get(LlmSocketUrls.PATH + "/:agent_id/:secret/:call_id").handler(ctx -> {
      String agentId = ctx.pathParam("agent_id");
      if (!sockets.valid(agentId, ctx.pathParam("secret"))) {
        refuseSocket(ctx);
        return;
      }
      new LlmSocket(engine, agentId, ctx.pathParam("call_id")).accept(ctx.request());
    });
    root.route(LlmSocketUrls.PATH + "*").handler(CallRoutes::refuseSocket);
  }

  private static void refuseSocket(RoutingContext ctx) {
    Responses.json(ctx, 403, new JsonObject().put("detail",
        "This LLM socket URL does not carry a valid secret"));
  }

  private static JsonObject paging(Validator query, JsonObject request) {
    return request.put("limit", query.queryInt("limit", 20, 1, 100))
        .put("offset", query.queryInt("offset", 0, 0, null));
  }

  private static JsonObject scoped(RoutingContext ctx) {
    return Caller.of(ctx).payload().put("callId", ctx.pathParam("call_id"));
  }
}

package dev.agentphone.calls;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.retell.LlmSocketUrls;
import dev.agentphone.providers.retell.RetellSignature;
import dev.agentphone.providers.retell.ToolUrls;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The calls API under {@code /v1}, Retell's webhook and its custom-LLM WebSocket. A call can be
 * waited for: {@code GET /v1/calls/{id}?wait=true&timeout=N} and {@code POST /v1/calls} with
 * {@code waitForCompletion} answer once the call has ended ({@link CallWait}).
 */
final class CallRoutes implements Routes {
  private static final List<String> STATUSES = List.of("completed", "in-progress", "failed");
  private static final List<String> DIRECTIONS = List.of("inbound", "outbound");
  private static final List<String> TYPES = List.of("pstn", "web");

  private final CallsApi calls;
  private final CallHubs hubs;
  private final CallSessions sessions;
  private final CallSettings settings;
  private final LlmSocketUrls sockets;
  private final String retellApiKey;

  /** {@code retellApiKey}: what Retell signs its webhooks with. */
  CallRoutes(CallsApi calls, CallHubs hubs, CallSessions sessions, CallSettings settings,
      LlmSocketUrls sockets, String retellApiKey) {
    this.calls = calls;
    this.hubs = hubs;
    this.sessions = sessions;
    this.settings = settings;
    this.sockets = sockets;
    this.retellApiKey = retellApiKey;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/calls/web").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String agentId = body.requiredString("agentId");
      JsonObject metadata = body.optionalObject("metadata");
      JsonObject variables = CallInput.variables(body);
      body.check();
      Responses.answer(ctx, calls.createWeb(Caller.accountOf(ctx), agentId, metadata, variables));
    }));

    api.post("/calls").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject call = new JsonObject()
          .put("agentId", body.requiredString("agentId"))
          .put("toNumber", body.requiredString("toNumber"))
          .put("fromNumberId", body.optionalString("fromNumberId"))
          .put("initialGreeting", body.optionalString("initialGreeting"))
          .put("voice", body.optionalString("voice"))
          .put("systemPrompt", body.optionalString("systemPrompt"))
          .put("variables", CallInput.variables(body))
          .put("modelTier", body.optionalEnum("modelTier", CallInput.MODEL_TIERS))
          .put("callScreeningIdentity", CallInput.screening(body, "callScreeningIdentity"))
          .put("callScreeningPurpose", CallInput.screening(body, "callScreeningPurpose"));
      String to = call.getString("toNumber");
      if (to != null && !PhoneNumbers.isStrictE164(to)) {
        body.reject("toNumber", "value_error",
            "Value error, toNumber must be an E.164 phone number such as +14155550123");
      }
      boolean wait = CallInput.flag(body, "waitForCompletion");
      Integer maxWait = body.optionalIntBetween("maxWaitSeconds", CallInput.WAIT_MIN,
          CallInput.PLACE_WAIT_MAX);
      body.check();
      if (call.getString("modelTier") != null && call.getString("systemPrompt") == null) {
        throw ApiError.badRequest("modelTier chooses the model of a per-call systemPrompt: "
            + "send it with a systemPrompt (without one the agent's own settings apply)");
      }
      String accountId = Caller.accountOf(ctx);
      if (!wait) {
        Responses.answer(ctx, calls.create(accountId, call));
        return;
      }
      long waitMillis = 1000L * (maxWait == null ? CallInput.PLACE_WAIT_DEFAULT : maxWait);
      calls.create(accountId, call).onComplete(placed -> {
        if (placed.failed()) {
          Responses.error(ctx, placed.cause());
          return;
        }
        String id = placed.result().getString("id");
        new CallWait(ctx, id, () -> calls.get(accountId, id))
            .start(waitMillis, settings.waitKeepAliveMillis());
      });
    }));

    api.get("/calls").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      JsonObject filters = paging(query)
          .put("status", query.queryEnum("status", STATUSES))
          .put("direction", query.queryEnum("direction", DIRECTIONS))
          .put("type", query.queryEnum("type", TYPES))
          .put("search", query.queryString("search"));
      query.check();
      Responses.answer(ctx, calls.list(Caller.accountOf(ctx), filters));
    }));

    api.get("/agents/:agent_id/calls").handler(Responses.guarded(ctx ->
        listOf(ctx, "agentId", ctx.pathParam("agent_id"))));
    api.get("/numbers/:number_id/calls").handler(Responses.guarded(ctx ->
        listOf(ctx, "numberId", ctx.pathParam("number_id"))));

    // ?wait=true&timeout=N holds the answer until the call has ended (the MCP server's get_call)
    api.get("/calls/:call_id").handler(Responses.guarded(ctx -> {
      String accountId = Caller.accountOf(ctx);
      String id = callId(ctx);
      Integer wait = CallInput.waitSeconds(ctx);
      if (wait == null) {
        Responses.answer(ctx, calls.get(accountId, id));
      } else {
        new CallWait(ctx, id, () -> calls.get(accountId, id))
            .start(1000L * wait, settings.waitKeepAliveMillis());
      }
    }));
    api.get("/calls/:call_id/transcript").handler(ctx ->
        Responses.answer(ctx, calls.transcript(Caller.accountOf(ctx), callId(ctx))));
    api.get("/calls/:call_id/timeline").handler(ctx ->
        Responses.answer(ctx, calls.timeline(Caller.accountOf(ctx), callId(ctx))));
    api.post("/calls/:call_id/end").handler(ctx ->
        Responses.answer(ctx, calls.end(Caller.accountOf(ctx), callId(ctx))));

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
      String accountId = Caller.accountOf(ctx);
      String callId = callId(ctx);
      new TranscriptStream(ctx, hubs, callId, settings.voice().sseHeartbeatMillis())
          .start(after, afterSeq -> calls.replay(accountId, callId, afterSeq));
    });
  }

  /** The calls of one agent or number of the caller's. */
  private void listOf(RoutingContext ctx, String field, String id) {
    Validator query = Validator.query(ctx);
    JsonObject filters = paging(query).put(field, id);
    query.check();
    Responses.answer(ctx, calls.list(Caller.accountOf(ctx), filters));
  }

  @Override
  public void mountPublic(Router root) {
    long tolerance = settings.signatureToleranceMillis();
    root.post("/webhooks/retell").handler(ctx -> {
      String raw = ctx.body() == null ? null : ctx.body().asString();
      if (!RetellSignature.verify(retellApiKey, raw, ctx.request().getHeader(RetellSignature.HEADER),
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
      Responses.noContent(ctx, calls.retellEvent(event));
    });

    // the secret is checked before the upgrade: a socket without it never gets to send a frame
    root.get(LlmSocketUrls.PATH + "/:agent_id/:secret/:call_id").handler(ctx -> {
      String agentId = ctx.pathParam("agent_id");
      if (!sockets.valid(agentId, ctx.pathParam("secret"))) {
        refuseSocket(ctx);
        return;
      }
      new LlmSocket(ctx.vertx(), calls, sessions, settings.socket(), agentId,
          ctx.pathParam("call_id")).accept(ctx.request());
    });
    root.route(LlmSocketUrls.PATH + "*").handler(CallRoutes::refuseSocket);

    // a hosted agent's tool, called by Retell: the secret first, then Retell's signature
    ToolUrls tools = sockets.tools();
    root.post(ToolUrls.PATH + "/:agent_id/:secret/:tool").handler(ctx -> {
      String agentId = ctx.pathParam("agent_id");
      String raw = ctx.body() == null ? null : ctx.body().asString();
      if (!tools.valid(agentId, ctx.pathParam("secret"))
          || !RetellSignature.verify(retellApiKey, raw,
              ctx.request().getHeader(RetellSignature.HEADER), System.currentTimeMillis(),
              tolerance)) {
        Responses.json(ctx, 403, new JsonObject().put("detail",
            "This tool URL needs its secret and Retell's signature"));
        return;
      }
      JsonObject body;
      try {
        body = new JsonObject(raw);
      } catch (RuntimeException e) {
        Responses.json(ctx, 400, new JsonObject().put("detail", "Body is not a JSON object"));
        return;
      }
      calls.retellTool(agentId, ctx.pathParam("tool"), body).onComplete(done -> {
        if (done.failed()) {
          Responses.error(ctx, done.cause());
        } else if (!ctx.response().ended()) {
          ctx.response().putHeader("Content-Type", done.result().getString("contentType"))
              .end(done.result().getString("body", ""));
        }
      });
    });
    root.route(ToolUrls.PATH + "*").handler(ctx -> Responses.json(ctx, 403,
        new JsonObject().put("detail", "This tool URL needs its secret and Retell's signature")));
  }

  private static void refuseSocket(RoutingContext ctx) {
    Responses.json(ctx, 403, new JsonObject().put("detail",
        "This LLM socket URL does not carry a valid secret"));
  }

  private static JsonObject paging(Validator query) {
    return new JsonObject().put("limit", query.queryInt("limit", 20, 1, 100))
        .put("offset", query.queryInt("offset", 0, 0, null));
  }

  private static String callId(RoutingContext ctx) {
    return ctx.pathParam("call_id");
  }
}

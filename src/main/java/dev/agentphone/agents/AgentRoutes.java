package dev.agentphone.agents;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/** {@code /v1/agents}: validation at the edge, work in {@link AgentsVerticle}. */
public final class AgentRoutes implements Routes {
  /** Fields a PATCH may set to null; the others keep their value when sent as null. */
  private static final Set<String> NULLABLE = Set.of("description", "systemPrompt",
      "beginMessage", "transferNumber", "voicemailMessage");

  @Override
  public void mountApi(Router api, Engine engine) {
    api.get("/agents/voices").handler(ctx ->
        Responses.forward(ctx, AgentsVerticle.VOICES, Caller.of(ctx).payload()));

    api.post("/agents").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject agent = fields(body, true);
      body.check();
      Responses.forward(ctx, AgentsVerticle.CREATE, Caller.of(ctx).payload().put("agent", agent));
    }));

    api.get("/agents").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 20, 1, 100);
      int offset = query.queryInt("offset", 0, 0, null);
      query.check();
      Responses.forward(ctx, AgentsVerticle.LIST,
          Caller.of(ctx).payload().put("limit", limit).put("offset", offset));
    }));

    api.get("/agents/:agent_id").handler(ctx ->
        Responses.forward(ctx, AgentsVerticle.GET, scoped(ctx)));

    api.patch("/agents/:agent_id").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject parsed = fields(body, false);
      body.check();
      JsonObject changes = new JsonObject();
      parsed.forEach(e -> {
        if (e.getValue() != null || NULLABLE.contains(e.getKey())) {
          changes.put(e.getKey(), e.getValue());
        }
      });
      Responses.forward(ctx, AgentsVerticle.UPDATE, scoped(ctx).put("changes", changes));
    }));

    api.delete("/agents/:agent_id").handler(ctx ->
        Responses.forward(ctx, AgentsVerticle.DELETE, scoped(ctx)));
  }

  static JsonObject scoped(RoutingContext ctx) {
    return Caller.of(ctx).payload().put("agentId", ctx.pathParam("agent_id"));
  }

  /** The agent fields present in the body, validated; {@code name} is required on create. */
  private static JsonObject fields(Validator body, boolean create) {
    JsonObject out = new JsonObject();
    String name = create ? body.requiredString("name") : body.optionalString("name");
    if (name != null && name.isBlank()) {
      body.reject("name", "string_too_short", "String should have at least 1 character");
    }
    putIfPresent(body, out, "name", name);
    putIfPresent(body, out, "description", body.optionalString("description"));
    putIfPresent(body, out, "voiceMode", body.optionalEnum("voiceMode", AgentStore.VOICE_MODES));
    putIfPresent(body, out, "modelTier", body.optionalEnum("modelTier", AgentStore.MODEL_TIERS));
    putIfPresent(body, out, "systemPrompt", body.optionalString("systemPrompt"));
    putIfPresent(body, out, "beginMessage", body.optionalString("beginMessage"));
    putIfPresent(body, out, "voice", body.optionalString("voice"));
    putIfPresent(body, out, "transferNumber", body.optionalString("transferNumber"));
    putIfPresent(body, out, "voicemailMessage", body.optionalString("voicemailMessage"));
    putIfPresent(body, out, "sttMode", body.optionalEnum("sttMode", AgentStore.STT_MODES));
    return out;
  }

  private static void putIfPresent(Validator body, JsonObject out, String field, Object value) {
    if (body.present(field)) {
      out.put(field, value);
    }
  }
}

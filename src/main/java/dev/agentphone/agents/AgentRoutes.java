package dev.agentphone.agents;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code /v1/agents}: validation at the edge, work in {@link AgentsVerticle}; reading one agent
 * runs {@link AgentReads} right here.
 */
final class AgentRoutes implements Routes {
  /**
   * Fields a PATCH may set to null (a voice setting goes back to its default, {@code customTools}
   * to none); the others keep their value when sent as null.
   */
  private static final Set<String> NULLABLE = Stream.concat(Stream.of("description",
      "systemPrompt", "beginMessage", "transferNumber", "voicemailMessage"),
      VoiceSettings.names().stream()).collect(Collectors.toUnmodifiableSet());

  private final AgentsApi agents;
  private final AgentReads reads;
  private final CustomTools tools;

  AgentRoutes(AgentsApi agents, AgentReads reads, CustomTools tools) {
    this.agents = agents;
    this.reads = reads;
    this.tools = tools;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/agents/voices").handler(ctx ->
        Responses.answer(ctx, agents.voices(Caller.accountOf(ctx))));

    api.post("/agents").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject agent = fields(body, true, tools);
      body.check();
      Responses.answer(ctx, agents.create(Caller.accountOf(ctx), agent));
    }));

    api.get("/agents").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 20, 1, 100);
      int offset = query.queryInt("offset", 0, 0, null);
      query.check();
      Responses.answer(ctx, agents.list(Caller.accountOf(ctx), limit, offset));
    }));

    // on this event loop, without the bus hop: a read keeps no state (docs/architecture.md)
    api.get("/agents/:agent_id").handler(ctx ->
        Responses.answer(ctx, reads.get(Caller.accountOf(ctx), ctx.pathParam("agent_id"))));

    api.patch("/agents/:agent_id").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject parsed = fields(body, false, tools);
      body.check();
      JsonObject changes = new JsonObject();
      parsed.forEach(e -> {
        if (e.getValue() != null || NULLABLE.contains(e.getKey())) {
          changes.put(e.getKey(), e.getValue());
        }
      });
      Responses.answer(ctx, agents.update(Caller.accountOf(ctx), ctx.pathParam("agent_id"),
          changes));
    }));

    api.delete("/agents/:agent_id").handler(ctx ->
        Responses.answer(ctx, agents.delete(Caller.accountOf(ctx), ctx.pathParam("agent_id"))));
  }

  /** The agent fields present in the body, validated; {@code name} is required on create. */
  private static JsonObject fields(Validator body, boolean create, CustomTools tools) {
    JsonObject out = new JsonObject();
    String name = create ? body.requiredString("name") : body.optionalString("name");
    if (name != null && name.isBlank()) {
      body.reject("name", "string_too_short", "String should have at least 1 character");
    }
    putIfPresent(body, out, "name", name);
    putIfPresent(body, out, "description", body.optionalString("description"));
    putIfPresent(body, out, "voiceMode", body.optionalEnum("voiceMode", AgentWrites.VOICE_MODES));
    putIfPresent(body, out, "modelTier", body.optionalEnum("modelTier", AgentWrites.MODEL_TIERS));
    putIfPresent(body, out, "systemPrompt", body.optionalString("systemPrompt"));
    putIfPresent(body, out, "beginMessage", body.optionalString("beginMessage"));
    putIfPresent(body, out, "voice", body.optionalString("voice"));
    putIfPresent(body, out, "transferNumber", body.optionalString("transferNumber"));
    putIfPresent(body, out, "voicemailMessage", body.optionalString("voicemailMessage"));
    putIfPresent(body, out, "sttMode", body.optionalEnum("sttMode", AgentWrites.STT_MODES));
    VoiceSettings.read(body, out, tools);
    return out;
  }

  private static void putIfPresent(Validator body, JsonObject out, String field, Object value) {
    if (body.present(field)) {
      out.put(field, value);
    }
  }
}

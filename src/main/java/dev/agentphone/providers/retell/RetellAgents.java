package dev.agentphone.providers.retell;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Turns one of our agents into Retell objects. Hosted mode: a Retell LLM carrying the prompt plus
 * an agent whose {@code response_engine} is that LLM; webhook mode: an agent whose
 * {@code response_engine} is our custom-LLM WebSocket. Every step that fails undoes the steps
 * before it, so Retell is never left holding half an agent.
 */
public final class RetellAgents {
  private final RetellClient retell;
  private final String publicUrl;
  private final LlmSocketUrls sockets;
  private final ToolUrls tools;
  private final String webhookUrl;

  /** What Retell holds for one of our agents. */
  public record Provisioned(String agentId, String llmId, String voiceMode) {
  }

  public RetellAgents(RetellClient retell, String publicUrl, LlmSocketUrls sockets) {
    this.retell = retell;
    this.publicUrl = publicUrl;
    this.sockets = sockets;
    this.tools = sockets.tools();
    this.webhookUrl = publicUrl + "/webhooks/retell";
  }

  public static String model(String modelTier) {
    return switch (modelTier == null ? "balanced" : modelTier) {
      case "turbo" -> "gpt-4o-mini";
      case "max" -> "gpt-4.1";
      default -> "gpt-4o";
    };
  }

  /** {@code agent} is our {@code AgentResponse} shape (camelCase). */
  public Future<Provisioned> create(JsonObject agent) {
    if ("hosted".equals(agent.getString("voiceMode"))) {
      return retell.createLlm(llmBody(agent)).compose(llm -> {
        String llmId = llm.getString("llm_id");
        return retell.createAgent(agentBody(agent, llmId))
            .map(created -> new Provisioned(created.getString("agent_id"), llmId, "hosted"))
            .recover(failure -> retell.deleteLlm(llmId).transform(cleanup ->
                Future.failedFuture(failure)));
      });
    }
    return retell.createAgent(agentBody(agent, null))
        .map(created -> new Provisioned(created.getString("agent_id"), null, "webhook"));
  }

  /**
   * Brings Retell in line with the changed agent. A mode switch to hosted creates the new LLM
   * first (and deletes it again if the agent update fails); the LLM a switch to webhook leaves
   * unused is returned through {@link #retire} once our side has committed.
   */
  public Future<Provisioned> update(Provisioned current, JsonObject agent) {
    String mode = agent.getString("voiceMode");
    if ("hosted".equals(mode)) {
      if (current.llmId() != null) {
        return retell.updateLlm(current.llmId(), llmBody(agent))
            .compose(llm -> retell.updateAgent(current.agentId(), agentBody(agent, current.llmId())))
            .map(updated -> new Provisioned(current.agentId(), current.llmId(), "hosted"));
      }
      return retell.createLlm(llmBody(agent)).compose(llm -> {
        String llmId = llm.getString("llm_id");
        return retell.updateAgent(current.agentId(), agentBody(agent, llmId))
            .map(updated -> new Provisioned(current.agentId(), llmId, "hosted"))
            .recover(failure -> retell.deleteLlm(llmId).transform(cleanup ->
                Future.failedFuture(failure)));
      });
    }
    return retell.updateAgent(current.agentId(), agentBody(agent, null))
        .map(updated -> new Provisioned(current.agentId(), null, "webhook"));
  }

  /** Deletes an LLM that no longer backs the agent (after a switch to webhook mode). */
  public Future<Void> retire(Provisioned before, Provisioned after) {
    if (before.llmId() != null && after.llmId() == null) {
      return retell.deleteLlm(before.llmId());
    }
    return Future.succeededFuture();
  }

  /**
   * Sets the Retell agent's response engine to what our agent is now (its LLM, or our socket at
   * the agent's secret URL), leaving the rest of the Retell agent as it is.
   */
  public Future<Void> repoint(String agentId, Provisioned current) {
    return retell.updateAgent(current.agentId(), new JsonObject()
            .put("response_engine", responseEngine(agentId, current.llmId())))
        .mapEmpty();
  }

  public Future<Void> delete(Provisioned current) {
    return retell.deleteAgent(current.agentId()).compose(v -> current.llmId() == null
        ? Future.succeededFuture() : retell.deleteLlm(current.llmId()));
  }

  /** The LLM of a hosted agent: its prompt, greeting, model and tools. */
  private JsonObject llmBody(JsonObject agent) {
    return new JsonObject()
        .put("general_prompt", agent.getString("systemPrompt"))
        .put("begin_message", agent.getString("beginMessage"))
        .put("model", model(agent.getString("modelTier")))
        .put("general_tools", RetellTools.generalTools(agent, tools, publicUrl));
  }

  private JsonObject responseEngine(String agentId, String llmId) {
    return llmId != null
        ? new JsonObject().put("type", "retell-llm").put("llm_id", llmId)
        : new JsonObject().put("type", "custom-llm")
            .put("llm_websocket_url", sockets.url(publicUrl, agentId));
  }

  /**
   * The Retell agent: its response engine, voice and the voice settings Retell applies itself.
   * The call screener is answered from the prompt Retell builds in hosted mode; in webhook mode
   * the engine's call session answers it.
   */
  private JsonObject agentBody(JsonObject agent, String llmId) {
    String voicemail = agent.getString("voicemailMessage");
    return new JsonObject()
        .put("agent_name", agent.getString("name"))
        .put("response_engine", responseEngine(agent.getString("id"), llmId))
        .put("voice_id", agent.getString("voice"))
        .put("webhook_url", webhookUrl)
        .put("language", agent.getString("language"))
        .put("voice_speed", agent.getValue("voiceSpeed"))
        .put("interruption_sensitivity", agent.getValue("interruptionSensitivity"))
        .put("enable_backchannel", agent.getValue("enableBackchannel"))
        .put("ambient_sound", ambientSound(agent.getString("ambientSound")))
        .put("denoising_mode", agent.getString("denoisingMode"))
        .put("stt_mode", agent.getString("sttMode"))
        .put("end_call_after_silence_ms", agent.getValue("maxSilenceMs"))
        .put("voicemail_option", voicemail == null || voicemail.isBlank() ? null
            : new JsonObject().put("action", new JsonObject().put("type", "static_text")
                .put("text", voicemail)))
        .put("call_screening_option", llmId == null ? null : screening(agent));
  }

  /** Our ambience names onto Retell's: {@code none} is no ambience at all. */
  static String ambientSound(String ambience) {
    return switch (ambience == null ? "none" : ambience) {
      case "office" -> "call-center";
      case "coffee-shop" -> "coffee-shop";
      case "outdoor" -> "summer-outdoor";
      default -> null;
    };
  }

  /** Who is calling and why, for call screeners; the agent's name when no identity is set. */
  private static JsonObject screening(JsonObject agent) {
    String identity = agent.getString("callScreeningIdentity");
    String purpose = agent.getString("callScreeningPurpose");
    if (identity == null && purpose == null) {
      return null;
    }
    return new JsonObject().put("agent_identity", identity != null ? identity
            : agent.getString("name"))
        .put("call_purpose", purpose != null ? purpose : "");
  }
}

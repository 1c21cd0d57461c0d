package dev.agentphone.calls;

import dev.agentphone.providers.retell.DynamicVariables;
import dev.agentphone.providers.retell.RetellAgents;
import io.vertx.core.json.JsonObject;

/**
 * What a placed call was asked for beyond its parties, and how Retell is told: the per-call
 * prompt and greeting (with the call's {@code variables} filled in), the variables themselves as
 * Retell's dynamic variables, and the per-call overrides of the agent (the model tier of a
 * per-call prompt, the call-screening answers, recording).
 */
record CallOptions(String systemPrompt, String initialGreeting, JsonObject variables,
    String modelTier, String screeningIdentity, String screeningPurpose) {

  /** From the validated {@code call} of {@link CallsApi#create}, placeholders filled. */
  static CallOptions of(JsonObject call) {
    JsonObject variables = call.getJsonObject("variables");
    return new CallOptions(DynamicVariables.fill(call.getString("systemPrompt"), variables),
        DynamicVariables.fill(call.getString("initialGreeting"), variables), variables,
        call.getString("modelTier"), call.getString("callScreeningIdentity"),
        call.getString("callScreeningPurpose"));
  }

  boolean hasVariables() {
    return variables != null && !variables.isEmpty();
  }

  boolean overridesScreening() {
    return screeningIdentity != null || screeningPurpose != null;
  }

  /** The tier a per-call prompt runs on: the call's, else the agent's. */
  CallOptions withTierOf(JsonObject agent) {
    if (systemPrompt == null || modelTier != null || agent == null) {
      return this;
    }
    return new CallOptions(systemPrompt, initialGreeting, variables,
        agent.getString("modelTier", "balanced"), screeningIdentity, screeningPurpose);
  }

  /** {@code retell_llm_dynamic_variables}: the caller's variables and the per-call texts. */
  JsonObject dynamicVariables() {
    JsonObject out = DynamicVariables.forRetell(variables);
    if (systemPrompt != null) {
      out.put("system_prompt", systemPrompt);
    }
    if (initialGreeting != null) {
      out.put("initial_greeting", initialGreeting);
    }
    return out;
  }

  /**
   * Retell's {@code agent_override} for this call, or null when nothing is overridden.
   * {@code agent} is our agent ({@code AgentResponse}); {@code retellLlm}: the Retell agent
   * answers with a Retell LLM (hosted mode), which alone takes a model and a begin message.
   */
  JsonObject agentOverride(JsonObject agent, boolean retellLlm, boolean record) {
    JsonObject override = new JsonObject();
    JsonObject agentPart = new JsonObject();
    JsonObject screening = screening(agent);
    if (screening != null) {
      agentPart.put("call_screening_option", screening);
    }
    if (record) {
      // the agent's own setting may keep no audio; a recorded call asks Retell to keep it
      agentPart.put("data_storage_setting", "everything");
    }
    if (!agentPart.isEmpty()) {
      override.put("agent", agentPart);
    }
    JsonObject llm = new JsonObject();
    if (retellLlm && systemPrompt != null && modelTier != null) {
      llm.put("model", RetellAgents.model(modelTier));
    }
    if (retellLlm && initialGreeting != null) {
      llm.put("begin_message", initialGreeting);
    }
    if (!llm.isEmpty()) {
      override.put("retell_llm", llm);
    }
    return override.isEmpty() ? null : override;
  }

  /**
   * Retell's {@code call_screening_option} when this call overrides the agent's: the call's
   * identity and purpose, each falling back to the agent's default; with a purpose but no
   * identity anywhere, the agent's name answers "who is calling". Both are needed to screen.
   */
  private JsonObject screening(JsonObject agent) {
    if (!overridesScreening()) {
      return null;
    }
    JsonObject defaults = agent == null ? new JsonObject() : agent;
    String purpose = screeningPurpose != null ? screeningPurpose
        : defaults.getString("callScreeningPurpose");
    String identity = screeningIdentity != null ? screeningIdentity
        : defaults.getString("callScreeningIdentity");
    if (purpose == null) {
      return null;
    }
    if (identity == null) {
      identity = defaults.getString("name");
    }
    return identity == null ? null
        : new JsonObject().put("agent_identity", identity).put("call_purpose", purpose);
  }
}

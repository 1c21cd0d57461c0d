package dev.agentphone.agents;

import dev.agentphone.numbers.AgentCheck;
import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The agents domain's published API over the event bus. Operations are scoped to
 * {@code accountId} (another account's agent is not found, 404), except
 * {@link #socketAgent}, which serves a Retell socket that proved it is the agent's.
 */
public final class AgentsApi implements AgentCheck {
  static final String CREATE = "agents.create";
  static final String LIST = "agents.list";
  static final String GET = "agents.get";
  static final String UPDATE = "agents.update";
  static final String DELETE = "agents.delete";
  static final String VOICES = "agents.voices";
  static final String VOICE_AGENT = "agents.voice-agent";
  static final String SOCKET_AGENT = "agents.socket-agent";

  private final Vertx vertx;

  public AgentsApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** What places or takes an agent's calls needs: its Retell agent and voice settings. */
  public record VoiceAgent(String agentId, String retellAgentId, String voiceMode,
      String beginMessage, String voice) {
  }

  /** The account and Retell agent behind one of our agents. */
  public record SocketAgent(String accountId, String retellAgentId) {
  }

  /** {@code agent}: the {@code AgentCreate} fields, validated. Provisioned at Retell first. */
  public Future<JsonObject> create(String accountId, JsonObject agent) {
    return Bus.request(vertx, CREATE, Bus.scope(accountId).put("agent", agent));
  }

  /** {@code {data, total}}, newest first. */
  public Future<JsonObject> list(String accountId, int limit, int offset) {
    return Bus.request(vertx, LIST, Bus.scope(accountId).put("limit", limit).put("offset", offset));
  }

  /** An {@code AgentResponse}, with the agent's numbers. */
  public Future<JsonObject> get(String accountId, String agentId) {
    return Bus.request(vertx, GET, Bus.scope(accountId).put("agentId", agentId));
  }

  @Override
  public Future<Void> requireAgent(String accountId, String agentId) {
    return get(accountId, agentId).mapEmpty();
  }

  /** Sets the fields present in {@code changes} (a null clears a nullable field). */
  public Future<JsonObject> update(String accountId, String agentId, JsonObject changes) {
    return Bus.request(vertx, UPDATE, Bus.scope(accountId).put("agentId", agentId)
        .put("changes", changes));
  }

  public Future<JsonObject> delete(String accountId, String agentId) {
    return Bus.request(vertx, DELETE, Bus.scope(accountId).put("agentId", agentId));
  }

  /** {@code {data: [voice]}} of the voice provider. */
  public Future<JsonObject> voices(String accountId) {
    return Bus.request(vertx, VOICES, Bus.scope(accountId));
  }

  /** The agent's Retell agent, provisioned now if it has none yet (the signup agent, say). */
  public Future<VoiceAgent> voiceAgent(String accountId, String agentId) {
    return Bus.<JsonObject>request(vertx, VOICE_AGENT, Bus.scope(accountId).put("agentId", agentId))
        .map(json -> new VoiceAgent(json.getString("agentId"), json.getString("retellAgentId"),
            json.getString("voiceMode"), json.getString("beginMessage"),
            json.getString("voice")));
  }

  /**
   * Unscoped: the account and Retell agent of {@code agentId}, for a custom-LLM socket that
   * carried the agent's secret; 404 when the agent has no Retell agent.
   */
  public Future<SocketAgent> socketAgent(String agentId) {
    return Bus.<JsonObject>request(vertx, SOCKET_AGENT, new JsonObject().put("agentId", agentId))
        .map(json -> new SocketAgent(json.getString("accountId"),
            json.getString("retellAgentId")));
  }
}

package dev.agentphone.calls;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The calls domain's published API over the event bus, scoped to {@code accountId} (another
 * account's call is not found, 404), except what Retell's traffic needs: {@link #locate} and
 * {@link #prepareInbound} name Retell's call or our phone number instead, and {@link #recording},
 * whose key is the call id itself.
 */
public final class CallsApi {
  static final String CREATE = "calls.create";
  static final String CREATE_WEB = "calls.create-web";
  static final String LIST = "calls.list";
  static final String GET = "calls.get";
  static final String TRANSCRIPT = "calls.transcript";
  /** {@code {accountId, callId}} → the call's timeline ({@link CallTimelineQuery}). */
  static final String TIMELINE = "calls.timeline";
  static final String END = "calls.end";
  static final String LIVE_COUNT = "calls.live-count";
  static final String RETELL_EVENT = "calls.retell-event";
  static final String LOCATE = "calls.locate";
  /**
   * {@code {retellCallId, agentId}} → {@code {callId}}: a call first seen on an LLM socket with
   * the agent's secret, confirmed with Retell and found or created from Retell's record of it.
   */
  static final String CONFIRM = "calls.confirm";
  /** {@code {accountId, callId, after}} → {@code {status, direction, live, durationSeconds, turns}}. */
  static final String REPLAY = "calls.replay";
  static final String PREPARE_INBOUND = "calls.prepare-inbound";
  /** {@code {agentId, tool, body}} → {@code {contentType, body}}: Retell runs an agent's tool. */
  static final String RETELL_TOOL = "calls.retell-tool";
  /** Longer than the longest tool ({@code timeoutMs} up to 120 s) may take. */
  private static final long TOOL_WAIT_MILLIS = 130_000;
  static final String RECORDING = "calls.recording";
  static final String RECORDING_SETTING = "calls.recording-setting";
  static final String SET_RECORDING = "calls.set-recording";
  /** {@code {accountId, callId, keyId}} → {@code {token, callId, expiresAt, expiresInSeconds}}. */
  static final String LIVE_TOKEN = "calls.live-token";
  /** {@code {token, callId}} → {@code {accountId, keyId}}; 401 for a token that is no good. */
  static final String REDEEM_LIVE_TOKEN = "calls.redeem-live-token";
  /** {@code {accountId, callId, command: {command, …, actor}}} → {@code {ok, detail?}}. */
  static final String COMMAND = "calls.command";

  private final Vertx vertx;

  public CallsApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Places an outbound phone call; {@code call}: {@code agentId, toNumber, fromNumberId?,
   * initialGreeting?, voice?, systemPrompt?, variables?, modelTier?, callScreeningIdentity?,
   * callScreeningPurpose?}.
   */
  public Future<JsonObject> create(String accountId, JsonObject call) {
    return Bus.request(vertx, CREATE, Bus.scope(accountId).put("call", call));
  }

  /**
   * Creates a web call: {@code {callId, agentId, accessToken, expiresAt, status}};
   * {@code variables} (may be null) fill a hosted agent's placeholders.
   */
  public Future<JsonObject> createWeb(String accountId, String agentId, JsonObject metadata,
      JsonObject variables) {
    return Bus.request(vertx, CREATE_WEB, Bus.scope(accountId).put("agentId", agentId)
        .put("metadata", metadata).put("variables", variables));
  }

  /**
   * Newest first; {@code filters} may name {@code agentId, numberId, status, direction, type,
   * search}, besides {@code limit} and {@code offset}.
   */
  public Future<JsonObject> list(String accountId, JsonObject filters) {
    return Bus.request(vertx, LIST, filters.copy().put("accountId", accountId));
  }

  /** A call with its transcript. */
  public Future<JsonObject> get(String accountId, String callId) {
    return Bus.request(vertx, GET, Bus.scope(accountId).put("callId", callId));
  }

  public Future<JsonObject> transcript(String accountId, String callId) {
    return Bus.request(vertx, TRANSCRIPT, Bus.scope(accountId).put("callId", callId));
  }

  /** The call's events and its turns' spans, with offsets from its start. */
  public Future<JsonObject> timeline(String accountId, String callId) {
    return Bus.request(vertx, TIMELINE, Bus.scope(accountId).put("callId", callId));
  }

  /** Hangs up a live call; 409 when it is not in progress. */
  public Future<JsonObject> end(String accountId, String callId) {
    return Bus.request(vertx, END, Bus.scope(accountId).put("callId", callId));
  }

  /** How many of the account's calls are going on now (placed and not ended). */
  public Future<Long> liveCount(String accountId) {
    return Bus.request(vertx, LIVE_COUNT, Bus.scope(accountId));
  }

  /** The recorded audio of a call, unscoped (the call id is the key); 404 when there is none. */
  public Future<Recording> recording(String callId) {
    return Bus.request(vertx, RECORDING, new JsonObject().put("callId", callId));
  }

  /** The audio of a recorded call: {@code audio/wav} (or the provider's audio type). */
  public record Recording(String contentType, Buffer audio) {
  }

  /** {@code {recordingEnabled, updatedAt}}: whether the account's calls are recorded. */
  public Future<JsonObject> recordingSetting(String accountId) {
    return Bus.request(vertx, RECORDING_SETTING, Bus.scope(accountId));
  }

  /** Turns recording of the account's calls on or off, for calls that begin from now on. */
  public Future<JsonObject> setRecording(String accountId, boolean enabled) {
    return Bus.request(vertx, SET_RECORDING, Bus.scope(accountId).put("enabled", enabled));
  }

  /** A single-use token for the call's live socket ({@link LiveTokens}); 404 for a stranger. */
  public Future<JsonObject> liveToken(String accountId, String callId, String keyId) {
    return Bus.request(vertx, LIVE_TOKEN, Bus.scope(accountId).put("callId", callId)
        .put("keyId", keyId));
  }

  /** Who a live token was issued to, using it up; unscoped (the token names its account). */
  Future<JsonObject> redeemLiveToken(String token, String callId) {
    return Bus.request(vertx, REDEEM_LIVE_TOKEN, new JsonObject().put("token", token)
        .put("callId", callId));
  }

  /**
   * An operator's command to a live call ({@code say, takeover, release, transfer, dtmf, end}),
   * carried to the call's session on whichever node holds it: {@code {ok, detail?}}.
   */
  Future<JsonObject> command(String accountId, String callId, JsonObject command) {
    return Bus.request(vertx, COMMAND, Bus.scope(accountId).put("callId", callId)
        .put("command", command));
  }

  /** The stored turns after {@code afterSeq} and whether the call is still live. */
  Future<JsonObject> replay(String accountId, String callId, int afterSeq) {
    return Bus.request(vertx, REPLAY, Bus.scope(accountId).put("callId", callId)
        .put("after", afterSeq));
  }

  /** A verified Retell webhook: {@code {event, call}}. */
  Future<JsonObject> retellEvent(JsonObject event) {
    return Bus.request(vertx, RETELL_EVENT, event);
  }

  /**
   * Retell's custom-function request {@code body} ({@code {call, name, args}}) for the tool
   * {@code tool} of {@code agentId}, whose secret URL and signature were checked.
   */
  Future<JsonObject> retellTool(String agentId, String tool, JsonObject body) {
    return Bus.request(vertx, RETELL_TOOL, new JsonObject().put("agentId", agentId)
        .put("tool", tool).put("body", body), TOOL_WAIT_MILLIS);
  }

  /** Our call Retell knows as {@code retellCallId}: {@code {callId, agentId}}, or null. */
  public Future<JsonObject> locate(String retellCallId) {
    return Bus.request(vertx, LOCATE, new JsonObject().put("retellCallId", retellCallId));
  }

  /** See {@link #CONFIRM}. */
  Future<JsonObject> confirm(String retellCallId, String agentId) {
    return Bus.request(vertx, CONFIRM, new JsonObject().put("retellCallId", retellCallId)
        .put("agentId", agentId));
  }

  /**
   * The agent answering {@code toNumber} ready for an inbound call (its number imported into
   * Retell): {@code {retellAgentId, numberId, …}}; 404 when the number has no agent.
   */
  public Future<JsonObject> prepareInbound(String toNumber) {
    return Bus.request(vertx, PREPARE_INBOUND, new JsonObject().put("toNumber", toNumber));
  }
}

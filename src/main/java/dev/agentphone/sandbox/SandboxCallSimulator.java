package dev.agentphone.sandbox;

import dev.agentphone.calls.BuiltInResponder;
import dev.agentphone.calls.CallsApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.retell.DynamicVariables;
import dev.agentphone.providers.retell.RetellSignature;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Retell side of simulated calls (sandbox mode): it speaks Retell's real protocol to the
 * engine's own endpoints — signed {@code call_started}/{@code transcript_updated}/
 * {@code call_ended}/{@code call_analyzed} webhooks, and, for custom-LLM (webhook-mode) agents,
 * the LLM WebSocket as its client. Hosted-mode agents are answered by the deterministic
 * {@link BuiltInResponder}, since no language model is available offline. An ended call names
 * its recording ({@code recording_url}), as Retell does unless its storage setting keeps no audio.
 */
final class SandboxCallSimulator extends VerticleBase {
  /** {@code {call, agent}}: a call Retell was asked to place (from the sandbox REST API). */
  static final String PLACE = "sandbox.retell.place";
  /** {@code {from, to}} → {@code {callId}}: a caller dials one of our numbers. */
  static final String INBOUND = "sandbox.calls.inbound";
  /** {@code {callId, text}} → {@code {callId, reply, endCall}}. */
  static final String SAY = "sandbox.calls.say";
  /** {@code {callId}} → {@code {callId, status}}. */
  static final String HANGUP = "sandbox.calls.hangup";
  /** {@code {retellCallId}} → {@code {stopped}}: Retell's stop-call, asked by the engine. */
  static final String STOP = "sandbox.retell.stop";

  private final Pool pool;
  private final CallsApi calls;
  private final String webhookUrl;
  private final String recordingsUrl;
  private final String apiKey;
  private final Map<String, SimulatedCall> byOurId = new ConcurrentHashMap<>();
  private HttpClient http;
  private WebSocketClient sockets;

  /** {@code httpPort}: the engine's own, where it takes Retell's webhooks; {@code apiKey}: Retell's. */
  SandboxCallSimulator(Pool pool, CallsApi calls, int httpPort, String apiKey) {
    this.pool = pool;
    this.calls = calls;
    this.webhookUrl = "http://localhost:" + httpPort + "/webhooks/retell";
    this.recordingsUrl = "http://localhost:" + httpPort + SandboxRecordingRoutes.PATH;
    this.apiKey = apiKey;
  }

  /** One call as the simulated Retell sees it. */
  private final class SimulatedCall {
    final JsonObject call;
    final JsonObject agent;
    /** The create-phone-call request's {@code agent_override}: what this call changes. */
    JsonObject override = new JsonObject();
    final JsonArray transcript = new JsonArray();
    String ourId;
    WebSocket socket;
    int responseId;
    Promise<JsonObject> pending;
    final StringBuilder reply = new StringBuilder();
    boolean ended;

    SimulatedCall(JsonObject call, JsonObject agent) {
      this.call = call;
      this.agent = agent;
    }

    boolean customLlm() {
      return "custom-llm".equals(agent.getJsonObject("response_engine", new JsonObject())
          .getString("type"));
    }

    /** Retell keeps the audio unless the call's (or else the agent's) storage setting says no. */
    boolean keepsAudio() {
      String setting = override.getJsonObject("agent", new JsonObject())
          .getString("data_storage_setting", agent.getString("data_storage_setting"));
      return !"basic_attributes_only".equals(setting)
          && !Boolean.TRUE.equals(agent.getValue("opt_out_sensitive_data_storage"));
    }
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient();
    sockets = vertx.createWebSocketClient();
    vertx.eventBus().<JsonObject>localConsumer(PLACE, m -> {
      SimulatedCall sim = new SimulatedCall(m.body().getJsonObject("call"),
          m.body().getJsonObject("agent"));
      sim.ourId = sim.call.getJsonObject("metadata", new JsonObject())
          .getString("agentphone_call_id");
      JsonObject override = m.body().getJsonObject("override");
      sim.override = override == null ? new JsonObject() : override;
      answer(sim).onFailure(e -> { });
    });
    Bus.answer(vertx, INBOUND, this::inbound);
    Bus.answer(vertx, SAY, this::say);
    Bus.answer(vertx, HANGUP, request -> hangup(find(request), "user_hangup")
        .map(v -> new JsonObject().put("callId", request.getString("callId"))
            .put("status", "ended")));
    Bus.answer(vertx, STOP, this::stop);
    return Future.succeededFuture();
  }

  private SimulatedCall find(JsonObject request) {
    SimulatedCall sim = byOurId.get(request.getString("callId", ""));
    if (sim == null || sim.ended) {
      throw new ApiError(404, "No live simulated call with this id");
    }
    return sim;
  }

  /** Retell hangs up a call it carries, answering at once and telling the engine after. */
  private Future<JsonObject> stop(JsonObject request) {
    String retellId = request.getString("retellCallId");
    SimulatedCall sim = byOurId.values().stream()
        .filter(c -> c.call.getString("call_id").equals(retellId)).findFirst().orElse(null);
    if (sim == null || sim.ended) {
      throw new ApiError(404, "No ongoing call with this id");
    }
    vertx.runOnContext(v -> hangup(sim, "manual_stopped"));
    return Future.succeededFuture(new JsonObject().put("stopped", true));
  }

  private Future<JsonObject> inbound(JsonObject request) {
    String from = request.getString("from");
    String to = request.getString("to");
    return calls.prepareInbound(to)
        .compose(prepared -> SandboxRetellRoutes.get(pool, "agent",
            prepared.getString("retellAgentId")))
        .compose(agent -> {
          String callId = "call_" + SandboxRetellRoutes.hex(16);
          JsonObject call = new JsonObject().put("call_id", callId).put("call_type", "phone_call")
              .put("agent_id", agent.getString("agent_id")).put("direction", "inbound")
              .put("from_number", from).put("to_number", to).put("call_status", "registered")
              .put("metadata", new JsonObject());
          SimulatedCall sim = new SimulatedCall(call, agent);
          return SandboxRetellRoutes.put(pool, "call", callId, call)
              .compose(v -> answer(sim))
              .map(v -> new JsonObject().put("callId", sim.ourId).put("status", "in-progress"));
        });
  }

  /** The phone is answered: {@code call_started}, then the LLM socket for custom-LLM agents. */
  private Future<Void> answer(SimulatedCall sim) {
    sim.call.put("call_status", "ongoing").put("start_timestamp", System.currentTimeMillis());
    return greeting(sim)
        .compose(v -> webhook("call_started", sim))
        .compose(v -> sim.ourId != null ? Future.succeededFuture(sim.ourId)
            : calls.locate(sim.call.getString("call_id"))
                .map(found -> found == null ? null : found.getString("callId")))
        .compose(ourId -> {
          if (ourId == null) {
            return Future.failedFuture(new ApiError(404, "The engine did not take the call"));
          }
          sim.ourId = ourId;
          // the caller can speak once the line is fully up
          return (sim.customLlm() ? connect(sim) : Future.<Void>succeededFuture())
              .onSuccess(v -> byOurId.put(ourId, sim));
        });
  }

  /** Hosted agents greet with their LLM's begin message (or the call's initial greeting). */
  private Future<Void> greeting(SimulatedCall sim) {
    if (sim.customLlm()) {
      return Future.succeededFuture();
    }
    JsonObject variables = sim.call.getJsonObject("retell_llm_dynamic_variables");
    String override = sim.override.getJsonObject("retell_llm", new JsonObject())
        .getString("begin_message");
    String perCall = override != null ? override
        : variables == null ? null : variables.getString("initial_greeting");
    String llmId = sim.agent.getJsonObject("response_engine").getString("llm_id");
    return SandboxRetellRoutes.get(pool, "llm", llmId).map(llm -> {
      String stored = llm == null ? null : llm.getString("begin_message");
      // Retell fills the {{placeholders}} of the begin message from the call's variables
      String begin = DynamicVariables.fill(perCall != null ? perCall : stored, variables);
      if (begin != null && !begin.isBlank()) {
        sim.transcript.add(new JsonObject().put("role", "agent").put("content", begin));
      }
      return null;
    });
  }

  private Future<Void> connect(SimulatedCall sim) {
    String url = sim.agent.getJsonObject("response_engine").getString("llm_websocket_url")
        + "/" + sim.call.getString("call_id");
    Promise<Void> configured = Promise.promise();
    return sockets.connect(new WebSocketConnectOptions().setAbsoluteURI(url)).compose(ws -> {
      sim.socket = ws;
      ws.textMessageHandler(text -> frame(sim, new JsonObject(text), configured));
      ws.closeHandler(v -> {
        if (!sim.ended && sim.pending != null) {
          sim.pending.tryFail(new ApiError(502, "The LLM socket closed"));
        }
      });
      vertx.setTimer(5_000, t -> configured.tryFail(new ApiError(504, "No config from the engine")));
      return configured.future();
    });
  }

  private void frame(SimulatedCall sim, JsonObject frame, Promise<Void> configured) {
    switch (frame.getString("response_type", "")) {
      case "config" -> {
        if (frame.getJsonObject("config", new JsonObject()).getBoolean("call_details", false)) {
          sim.socket.writeTextMessage(new JsonObject().put("interaction_type", "call_details")
              .put("call", sim.call).encode());
        }
        configured.tryComplete();
      }
      case "response" -> {
        int id = frame.getInteger("response_id", 0);
        String content = frame.getString("content", "");
        boolean endCall = frame.getBoolean("end_call", false);
        if (sim.pending != null && id == sim.responseId) {
          sim.reply.append(content);
          if (frame.getBoolean("content_complete", false)) {
            String said = sim.reply.toString();
            if (!said.isBlank()) {
              sim.transcript.add(new JsonObject().put("role", "agent").put("content", said));
            }
            Promise<JsonObject> pending = sim.pending;
            sim.pending = null;
            pending.tryComplete(new JsonObject().put("callId", sim.ourId).put("reply", said)
                .put("endCall", endCall));
            if (endCall) {
              hangup(sim, "agent_hangup");
            }
          }
        } else {
          // unprompted speech: the greeting, or a hang-up asked for through the API
          if (!content.isEmpty()) {
            sim.transcript.add(new JsonObject().put("role", "agent").put("content", content));
          }
          if (endCall) {
            hangup(sim, "agent_hangup");
          }
        }
      }
      default -> {
        // ping_pong and anything newer
      }
    }
  }

  private Future<JsonObject> say(JsonObject request) {
    SimulatedCall sim = find(request);
    String text = request.getString("text", "");
    if (sim.pending != null) {
      throw new ApiError(409, "The agent is still answering the previous utterance");
    }
    sim.transcript.add(new JsonObject().put("role", "user").put("content", text));
    if (!sim.customLlm()) {
      BuiltInResponder.Reply reply = BuiltInResponder.reply(text);
      sim.transcript.add(new JsonObject().put("role", "agent").put("content", reply.text()));
      JsonObject answer = new JsonObject().put("callId", sim.ourId).put("reply", reply.text())
          .put("endCall", reply.hangup());
      return webhook("transcript_updated", sim).compose(v -> reply.hangup()
          ? hangup(sim, "agent_hangup") : Future.succeededFuture()).map(answer);
    }
    sim.responseId++;
    sim.reply.setLength(0);
    sim.pending = Promise.promise();
    Future<JsonObject> answer = sim.pending.future();
    sim.socket.writeTextMessage(new JsonObject().put("interaction_type", "update_only")
        .put("transcript", sim.transcript).encode());
    sim.socket.writeTextMessage(new JsonObject().put("interaction_type", "response_required")
        .put("response_id", sim.responseId).put("transcript", sim.transcript).encode());
    long timer = vertx.setTimer(60_000, t -> {
      if (sim.pending != null) {
        sim.pending.tryFail(new ApiError(504, "The agent did not answer"));
        sim.pending = null;
      }
    });
    return answer.onComplete(done -> vertx.cancelTimer(timer));
  }

  private Future<Void> hangup(SimulatedCall sim, String reason) {
    if (sim.ended) {
      return Future.succeededFuture();
    }
    sim.ended = true;
    long now = System.currentTimeMillis();
    StringBuilder text = new StringBuilder();
    sim.transcript.forEach(t -> {
      JsonObject turn = (JsonObject) t;
      text.append("agent".equals(turn.getString("role")) ? "Agent: " : "User: ")
          .append(turn.getString("content")).append('\n');
    });
    sim.call.put("call_status", "ended").put("end_timestamp", now)
        .put("disconnection_reason", reason).put("transcript", text.toString());
    if (sim.keepsAudio()) {
      // made when fetched, from the transcript kept with the call (SandboxRecordingRoutes)
      sim.call.put("recording_url", recordingsUrl + "/" + sim.call.getString("call_id"));
    }
    if (sim.socket != null) {
      sim.socket.close();
    }
    return webhook("call_ended", sim).compose(v -> {
      byOurId.remove(sim.ourId);
      int userTurns = (int) sim.transcript.stream()
          .filter(t -> "user".equals(((JsonObject) t).getString("role"))).count();
      sim.call.put("call_analysis", new JsonObject()
          .put("call_summary", "A simulated call with " + userTurns + " caller utterance"
              + (userTurns == 1 ? "" : "s") + ".")
          .put("user_sentiment", "Neutral")
          .put("call_successful", true));
      return webhook("call_analyzed", sim);
    });
  }

  /**
   * A signed Retell webhook to the engine; answered before this future completes. The simulated
   * Retell's record of the call ({@code get-call}) is what the webhook says.
   */
  private Future<Void> webhook(String event, SimulatedCall sim) {
    JsonObject call = sim.call.copy().put("transcript_object", sim.transcript.copy());
    String body = new JsonObject().put("event", event).put("call", call).encode();
    String signature = RetellSignature.sign(apiKey, body, System.currentTimeMillis());
    return SandboxRetellRoutes.put(pool, "call", call.getString("call_id"), call)
        .compose(stored -> http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(webhookUrl)
            .putHeader("Content-Type", "application/json")
            .putHeader(RetellSignature.HEADER, signature)))
        .compose(req -> req.send(body))
        .compose(response -> response.body().map(b -> {
          if (response.statusCode() / 100 != 2) {
            throw new ApiError(502, "The engine refused the " + event + " webhook: "
                + response.statusCode());
          }
          return null;
        }));
  }
}

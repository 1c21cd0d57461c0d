package dev.agentphone.sandbox;

import dev.agentphone.calls.CallsApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.retell.DynamicVariables;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Retell side of simulated calls (sandbox mode): it speaks Retell's real protocol to the
 * engine's own endpoints — signed {@code call_started}/{@code transcript_updated}/
 * {@code call_ended}/{@code call_analyzed} webhooks, and, for custom-LLM (webhook-mode) agents,
 * the LLM WebSocket as its client. Hosted-mode agents are answered by the {@link HostedLlm},
 * since no language model is available offline. What Retell does itself it does from the
 * Retell agent: the call ends with {@code inactivity} after {@code end_call_after_silence_ms} of
 * caller silence, and a call answered by voicemail gets the {@code voicemail_option}'s message.
 * How the dialled phone answers is its {@link SandboxPhones} setting. An ended call names its
 * recording ({@code recording_url}), as Retell does unless its storage setting keeps no audio.
 */
final class SandboxCallSimulator extends VerticleBase {
  /** {@code {call, agent}}: a call Retell was asked to place (from the sandbox REST API). */
  static final String PLACE = "sandbox.retell.place";
  /** {@code {from, to}} → {@code {callId}}: a caller dials one of our numbers. */
  static final String INBOUND = "sandbox.calls.inbound";
  /**
   * {@code {callId, text, interrupt?}} → {@code {callId, reply, endCall, toolCalls, latencyMs}};
   * with {@code interrupt} the caller barges in on an answer still in flight, which is
   * superseded. {@code latencyMs}: from the utterance handed over (a custom LLM's
   * {@code response_required}) to the agent's first words (its first {@code response} frame).
   */
  static final String SAY = "sandbox.calls.say";
  /** {@code {callId, digits}} → as {@link #SAY}: the caller presses keys. */
  static final String DTMF = "sandbox.calls.dtmf";
  /** {@code {callId, ms}} → {@code {callId, status, silentMs, disconnectionReason}}. */
  static final String SILENCE = "sandbox.calls.silence";
  /** {@code {callId}} → {@code {callId, status}}. */
  static final String HANGUP = "sandbox.calls.hangup";
  /** {@code {retellCallId}} → {@code {stopped}}: Retell's stop-call, asked by the engine. */
  static final String STOP = "sandbox.retell.stop";

  private final Pool pool;
  private final CallsApi calls;
  private final SandboxPhones phones;
  private final String webhookUrl;
  private final String recordingsUrl;
  private final String apiKey;
  private final Map<String, SimulatedCall> byOurId = new ConcurrentHashMap<>();
  private HttpClient http;
  private SimulatedRetellWebhooks webhooks;
  private WebSocketClient sockets;
  private HostedLlm hosted;
  private CallerSilence silence;
  private SimulatedLlmSocket socket;

  /** {@code httpPort}: the engine's own, where it takes Retell's webhooks; {@code apiKey}: Retell's. */
  SandboxCallSimulator(Pool pool, CallsApi calls, SandboxPhones phones, int httpPort,
      String apiKey) {
    this.pool = pool;
    this.calls = calls;
    this.phones = phones;
    this.webhookUrl = "http://localhost:" + httpPort + "/webhooks/retell";
    this.recordingsUrl = "http://localhost:" + httpPort + SandboxRecordingRoutes.PATH;
    this.apiKey = apiKey;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient();
    webhooks = new SimulatedRetellWebhooks(pool, http, webhookUrl, apiKey);
    sockets = vertx.createWebSocketClient();
    hosted = new HostedLlm(http, apiKey);
    silence = new CallerSilence(vertx, this::hangup);
    socket = new SimulatedLlmSocket(vertx, sockets, silence, this::hangup);
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
    Bus.answer(vertx, DTMF, request -> {
      SimulatedCall sim = find(request);
      if (sim.pending != null) {
        throw new ApiError(409, "The agent is still answering the previous utterance");
      }
      // Retell hands the pressed keys to the LLM as the caller's words
      return turn(sim, request.getString("digits"));
    });
    Bus.answer(vertx, SILENCE, this::silence);
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

  /**
   * The phone is answered: {@code call_started}, the LLM socket for custom-LLM agents, then
   * whoever picks up (a screener, voicemail, the person).
   */
  private Future<Void> answer(SimulatedCall sim) {
    sim.call.put("call_status", "ongoing").put("start_timestamp", System.currentTimeMillis());
    return llm(sim)
        .compose(v -> webhooks.send("call_started", sim))
        .compose(v -> sim.ourId != null ? Future.succeededFuture(sim.ourId)
            : calls.locate(sim.call.getString("call_id"))
                .map(found -> found == null ? null : found.getString("callId")))
        .compose(ourId -> {
          if (ourId == null) {
            return Future.failedFuture(new ApiError(404, "The engine did not take the call"));
          }
          sim.ourId = ourId;
          return sim.customLlm() ? socket.connect(sim) : Future.<Void>succeededFuture();
        })
        .compose(v -> sim.outbound() ? phones.of(sim.accountId(), sim.dialled())
            : Future.succeededFuture(SandboxPhones.Phone.HUMAN))
        .compose(phone -> pickUp(sim, phone))
        // the caller can speak once the line is fully up
        .onSuccess(v -> byOurId.put(sim.ourId, sim));
  }

  private Future<Void> llm(SimulatedCall sim) {
    if (sim.customLlm()) {
      return Future.succeededFuture();
    }
    return SandboxRetellRoutes.get(pool, "llm",
            sim.agent.getJsonObject("response_engine").getString("llm_id"))
        .map(llm -> {
          sim.llm = llm;
          return null;
        });
  }

  /**
   * A screener first, when the phone has one: the agent tells it who is calling and why. Then
   * voicemail, which Retell detects: it leaves the agent's voicemail message and hangs up
   * ({@code voicemail_reached}); without one the agent talks on as to a person. Else the person,
   * whom a hosted agent greets with its LLM's begin message (or the call's greeting).
   */
  private Future<Void> pickUp(SimulatedCall sim, SandboxPhones.Phone phone) {
    Future<Void> screened = !phone.screening() ? Future.succeededFuture()
        : (sim.customLlm() ? greetingOrSilence(sim) : Future.<Void>succeededFuture())
            .compose(v -> turn(sim, "Hi, the person you're calling is using a call screening "
                + "service. Please say your name and why you're calling."))
            .compose(answered -> {
              sim.callerSays("Thank you, please stay on the line.");
              return Future.<Void>succeededFuture();
            });
    return screened.compose(v -> {
      JsonObject voicemail = sim.agent.getJsonObject("voicemail_option");
      if (phone.voicemail()) {
        sim.callerSays("Hi, you've reached " + sim.dialled()
            + ". Please leave a message after the tone.");
        if (voicemail != null) {
          JsonObject action = voicemail.getJsonObject("action", new JsonObject());
          if ("static_text".equals(action.getString("type"))) {
            sim.agentSays(action.getString("text"));
          }
          return hangup(sim, "voicemail_reached");
        }
      }
      if (!sim.customLlm()) {
        JsonObject variables = sim.call.getJsonObject("retell_llm_dynamic_variables");
        String override = sim.override.getJsonObject("retell_llm", new JsonObject())
            .getString("begin_message");
        String perCall = override != null ? override
            : variables == null ? null : variables.getString("initial_greeting");
        String stored = sim.llm == null ? null : sim.llm.getString("begin_message");
        // Retell fills the {{placeholders}} of the begin message from the call's variables
        sim.agentSays(DynamicVariables.fill(perCall != null ? perCall : stored, variables));
      }
      silence.quiet(sim);
      return Future.succeededFuture();
    });
  }

  /** A custom LLM's greeting, which the engine speaks unprompted; a second at most. */
  private Future<Void> greetingOrSilence(SimulatedCall sim) {
    long timer = vertx.setTimer(1_000, t -> sim.greeted.tryComplete());
    return sim.greeted.future().onComplete(v -> vertx.cancelTimer(timer));
  }

  private Future<JsonObject> say(JsonObject request) {
    SimulatedCall sim = find(request);
    if (sim.pending != null && !request.getBoolean("interrupt", false)) {
      throw new ApiError(409, "The agent is still answering the previous utterance");
    }
    if (sim.pending != null) {
      // barge-in: the answer in flight is cut off where it stands
      settlePending(sim, "superseded");
    }
    return turn(sim, request.getString("text", ""));
  }

  /** The caller says {@code text}; answers with the agent's complete reply. */
  private Future<JsonObject> turn(SimulatedCall sim, String text) {
    silence.speaking(sim);
    sim.callerSays(text);
    if (!sim.customLlm()) {
      sim.askedAt = System.nanoTime();
      return hosted.answer(sim, text).compose(answer -> {
        JsonObject reply = new JsonObject().put("callId", sim.ourId).put("reply", answer.text())
            .put("endCall", answer.hangup()).put("toolCalls", answer.toolCalls())
            .put("latencyMs", sim.latencyMs(System.nanoTime()));
        return webhooks.send("transcript_updated", sim).compose(v -> {
          if (answer.hangup()) {
            return hangup(sim, "agent_hangup");
          }
          silence.quiet(sim);
          return Future.succeededFuture();
        }).map(reply);
      });
    }
    sim.responseId++;
    sim.askedAt = System.nanoTime();
    sim.firstFrameAt = -1;
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

  private Future<JsonObject> silence(JsonObject request) {
    SimulatedCall sim = find(request);
    if (sim.pending != null) {
      throw new ApiError(409, "The agent is still answering the previous utterance");
    }
    return silence.skip(sim, request.getLong("ms", 0L));
  }

  private Future<Void> hangup(SimulatedCall sim, String reason) {
    if (sim.ended) {
      return Future.succeededFuture();
    }
    sim.ended = true;
    silence.speaking(sim);
    if (sim.pending != null) {
      settlePending(sim, "callerHungUp");
    }
    long now = System.currentTimeMillis();
    sim.call.put("call_status", "ended").put("end_timestamp", now)
        .put("disconnection_reason", reason).put("transcript", sim.transcriptText());
    if (sim.keepsAudio()) {
      // made when fetched, from the transcript kept with the call (SandboxRecordingRoutes)
      sim.call.put("recording_url", recordingsUrl + "/" + sim.call.getString("call_id"));
    }
    if (sim.socket != null) {
      sim.socket.close();
    }
    return webhooks.send("call_ended", sim).compose(v -> {
      byOurId.remove(sim.ourId);
      int userTurns = (int) sim.transcript.stream()
          .filter(t -> "user".equals(((JsonObject) t).getString("role"))).count();
      sim.call.put("call_analysis", new JsonObject()
          .put("call_summary", "A simulated call with " + userTurns + " caller utterance"
              + (userTurns == 1 ? "" : "s") + ".")
          .put("user_sentiment", "Neutral")
          .put("call_successful", true));
      return webhooks.send("call_analyzed", sim);
    });
  }

  /** Answers the caller's pending utterance with what the agent had said of it so far. */
  private static void settlePending(SimulatedCall sim, String why) {
    Promise<JsonObject> pending = sim.pending;
    sim.pending = null;
    if (sim.reply.length() > 0) {
      sim.agentSays(sim.reply.toString());
    }
    pending.tryComplete(new JsonObject().put("callId", sim.ourId).put("reply", sim.reply.toString())
        .put("endCall", false).put(why, true));
  }
}

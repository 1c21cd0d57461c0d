package dev.agentphone.calls;

import dev.agentphone.providers.retell.DynamicVariables;
import dev.agentphone.usage.CallBudget;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One live call, as an actor: deployed when the call starts and undeployed when it ends, it owns
 * the call's Retell custom-LLM WebSocket and the call's state, and decides what happens next. It
 * delegates the wire format to {@link RetellFrames}, each webhook-mode answer to
 * {@link WebhookAnswers}, the plan's limits to {@link CallBudget}, the turns to
 * {@link Transcript} and the end to {@link CallFinalizer}. All of its state is rebuilt from the
 * database when it starts, so a session that restarts on another node after a reconnect carries
 * on where the old one stopped.
 */
final class CallSession extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CallSession.class);

  private final String callId;
  private final SessionServices services;
  private final CallSessions registry;

  private String accountId;
  private String agentId;
  private String direction;
  private boolean builtIn;
  private String greeting;
  private JsonObject variables;
  private String endReason;
  /** Who is calling and why, for call screeners, when the call itself says (else the agent). */
  private String screeningIdentity;
  private String screeningPurpose;
  private AgentSettings agent;
  private Transcript transcript;
  private WebhookAnswers answers;
  private BuiltInTurns builtInTurns;
  private LiveFeed feed;
  private LiveControl control;
  private CallTimeline timeline;

  private ServerWebSocket socket;
  private int currentResponseId = -1;
  private OperatorLine line;
  private boolean ended;
  private long durationTimer = -1;
  /** Spoken, with {@code end_call}, after the call has been finalised (the maximum duration). */
  private JsonObject farewell;

  CallSession(String callId, SessionServices services, CallSessions registry) {
    this.callId = callId;
    this.services = services;
    this.registry = registry;
  }

  /** The cluster-wide address the session answers on. */
  static String address(String callId) {
    return "calls." + callId + ".session";
  }

  @Override
  public Future<?> start() {
    return CallStore.byId(services.pool(), callId).compose(row -> {
      if (row == null) {
        return Future.failedFuture("no call " + callId);
      }
      load(row);
      transcript = new Transcript(vertx, services.pool(), registry.turns(), callId);
      agent = new AgentSettings(services.agents(), services.lookups().agent(accountId, agentId),
          accountId, agentId, services.voice().webhookTargetCacheMillis());
      feed = new LiveFeed(vertx, callId);
      timeline = new CallTimeline(services.pool(), registry.timings(), callId,
          builtIn ? "hosted" : "webhook");
      feed.tap(timeline::fromFeed);
      control = new LiveControl(services.pool(), callId, feed);
      line = new OperatorLine(transcript, feed, this::send, () -> ended,
          () -> socket != null && !socket.isClosed(), () -> answers.abandon(), this::respond);
      answers = new WebhookAnswers(vertx, services, registry::voiceWebhook,
          CallParties.of(row), feed);
      builtInTurns = new BuiltInTurns(services.tools(), CallParties.of(row), feed);
      // the deadline asks whether an inbound call is fresh: once the turns are loaded
      return Future.all(transcript.load().compose(v -> durationLimit(row)), agentSettings(),
              control.load())
          .compose(v -> listen());
    });
  }

  private void load(Row row) {
    accountId = row.getString("account_id");
    agentId = row.getString("agent_id");
    direction = row.getString("direction");
    builtIn = "hosted".equals(row.getString("voice_mode"));
    greeting = row.getString("initial_greeting");
    variables = row.getJsonObject("variables");
    ended = !CallStore.live(row.getString("status"));
    endReason = row.getString("disconnection_reason");
    screeningIdentity = row.getString("call_screening_identity");
    screeningPurpose = row.getString("call_screening_purpose");
  }

  private Future<Void> agentSettings() {
    return agent.load().onSuccess(v -> {
      if (greeting == null) {
        greeting = DynamicVariables.fill(agent.get().getString("beginMessage"), variables);
      }
    });
  }

  /** Arms the plan's deadline for this call ({@link CallBudget#deadline}). */
  private Future<Void> durationLimit(Row row) {
    if (ended) {
      return Future.succeededFuture();
    }
    return services.budget().deadline(accountId,
            () -> "inbound".equals(direction) && transcript.empty(),
            row.getOffsetDateTime("started_at"))
        .map(deadline -> {
          if (deadline != null) {
            durationTimer = vertx.setTimer(deadline.inMillis(),
                t -> endAtLimit(deadline.reason(), deadline.words()));
          }
          return null;
        });
  }

  private void endAtLimit(String reason, String words) {
    durationTimer = -1;
    if (ended) {
      return;
    }
    LOG.info("call {} ended by the plan: {}", callId, reason);
    farewell = RetellFrames.hangUp(Math.max(currentResponseId, 0), words);
    finish(new JsonObject(), reason);
  }

  private Future<Void> listen() {
    MessageConsumer<JsonObject> operations = vertx.eventBus().consumer(address(callId),
        this::operation);
    // another node's session ending this call (after a reconnect moved it) ends this one too
    MessageConsumer<JsonObject> turns = vertx.eventBus().consumer(TurnStore.address(callId),
        message -> {
          if ("ended".equals(message.body().getString("type")) && !ended) {
            ended = true;
            stop("ended elsewhere");
          }
        });
    return Future.all(operations.completion(), turns.completion()).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    registry.gone(callId);
    if (durationTimer >= 0) {
      vertx.cancelTimer(durationTimer);
    }
    if (answers != null) {
      answers.abandon();
    }
    if (socket != null) {
      socket.close();
    }
    if (timeline != null) {
      timeline.close(ended);
    }
    return Future.succeededFuture();
  }

  private void stop(String why) {
    LOG.debug("call session {} stops: {}", callId, why);
    vertx.undeploy(deploymentID());
  }

  // ---- operations from the bus (webhooks, API) ----

  private void operation(Message<JsonObject> message) {
    JsonObject op = message.body();
    switch (op.getString("op", "")) {
      case "transcript" -> {
        transcript.storeFinal(TurnStore.fromTranscript(op.getJsonArray("transcript")));
        transcript.stored().onComplete(done -> message.reply(new JsonObject().put("stored", true)));
      }
      case "ended" -> finish(op.getJsonObject("call", new JsonObject()), null)
          .onComplete(done -> message.reply(new JsonObject().put("ended", true)));
      case "end" -> hangUp("api_hangup")
          .onComplete(done -> message.reply(done.succeeded() ? done.result()
              : new JsonObject().put("ended", true)));
      case "ping" -> message.reply(new JsonObject().put("callId", callId));
      case "command" -> control.handle(op, line).onComplete(done -> message.reply(
          done.succeeded() ? done.result() : new JsonObject().put("ok", false)
              .put("detail", "The command could not be carried out")));
      default -> message.fail(400, "unknown operation");
    }
  }

  /** Asks Retell to hang up over the socket, or (no socket) ends the call on our side. */
  private Future<JsonObject> hangUp(String reason) {
    if (ended) {
      return Future.succeededFuture(new JsonObject().put("ended", true));
    }
    if (socket != null) {
      send(RetellFrames.hangUp(Math.max(currentResponseId, 0), ""));
      return Future.succeededFuture(new JsonObject().put("requested", true));
    }
    // Retell may still carry the call (a hosted-mode call talks to Retell's LLM, not to us):
    // the caller of "end" hangs it up there once this has ended it here
    return finish(new JsonObject(), reason)
        .map(new JsonObject().put("ended", true).put("stopAtProvider", true));
  }

  // ---- the Retell custom-LLM socket ----

  /**
   * Takes over the call's socket (a reconnect replaces the previous one), replaying the frames
   * that came while the call was being confirmed. A socket for a call that has ended is told to
   * hang up.
   */
  void attach(ServerWebSocket ws, EventLoop socketLoop, List<String> early) {
    Context context = this.context;
    TurnMetrics.socketLoop(((ContextInternal) context).nettyEventLoop() == socketLoop);
    context.runOnContext(v -> {
      if (socket != null && socket != ws) {
        ServerWebSocket previous = socket;
        socket = null;
        previous.close();
      }
      feed.publish("provider_socket", new JsonObject().put("state",
          transcript.empty() && socket == null ? "connected" : "reconnected"));
      socket = ws;
      // on the socket's own event loop a frame is handled as it is read instead of queued behind
      // the loop's other tasks (a pong, or a turn's webhook request, goes out at once); from any
      // other loop it is handed to the session's loop in order, as before
      ContextInternal session = (ContextInternal) context;
      ws.textMessageHandler(text -> session.emit(text, t -> frame(ws, t)));
      // a node going down closes the socket at once: Retell reconnects, to another node
      ws.shutdownHandler(x -> ws.close((short) 1001, "node shutting down"));
      ws.closeHandler(x -> session.emit(y -> {
        if (socket == ws) {
          socket = null;
          answers.abandon();
          if (!ended) {
            feed.publish("provider_socket", new JsonObject().put("state", "disconnected"));
          }
        }
      }));
      send(RetellFrames.config());
      if (ended) {
        send(RetellFrames.hangUp(0, goodbye(endReason)));
        ws.close();
        stop("socket for an ended call");
        return;
      }
      if (transcript.empty() && greeting != null && !greeting.isBlank()) {
        send(RetellFrames.response(0, greeting, true));
        transcript.storeFinal(List.of(new TurnStore.Turn(0, "agent", greeting)));
      }
      for (String frame : early) {
        frame(ws, frame);
      }
      ws.resume();
    });
  }

  /** What the agent says to a caller still on the line of a call that has ended. */
  private static String goodbye(String reason) {
    if (CallAdoption.CONCURRENCY_REASON.equals(reason)) {
      return "Sorry, this number cannot take more calls right now. Goodbye.";
    }
    return "";
  }

  private void frame(ServerWebSocket ws, String text) {
    if (ws != socket) {
      return;
    }
    RetellFrames.Frame frame = RetellFrames.read(text);
    if (frame == null) {
      return;
    }
    switch (frame.kind()) {
      case PING -> send(RetellFrames.pong(frame.timestamp()));
      case UPDATE -> {
        // the last utterance may still be growing; everything before it is final
        List<TurnStore.Turn> turns = TurnStore.fromTranscript(frame.transcript());
        TurnStore.Turn growing = turns.isEmpty() ? null : turns.remove(turns.size() - 1);
        transcript.storeFinal(turns);
        line.heard(growing);
        line.speaking(frame.turntaking());
      }
      case RESPONSE_REQUIRED -> respond(frame.responseId(), frame.transcript());
      case OTHER -> {
        // call_details and anything newer: nothing to do
      }
    }
  }

  private void respond(int responseId, JsonArray said) {
    if (responseId < currentResponseId || ended) {
      return;
    }
    currentResponseId = responseId;
    TurnSpans spans = timeline.begin(responseId);
    answers.abandon();
    List<TurnStore.Turn> turns = TurnStore.fromTranscript(said);
    transcript.storeFinal(turns);
    line.callerFinal();
    String utterance = turns.stream().filter(t -> "user".equals(t.role()))
        .reduce((a, b) -> b).map(TurnStore.Turn::content).orElse("");
    int agentSeq = said.size();
    line.opened(responseId, agentSeq, said);
    if (control.takenOver()) {
      // the operator answers; the caller's turn streams as any other
      timeline.operator(spans);
      return;
    }
    JsonObject settings = agent.get();
    WebhookAnswers.Sink sink = timeline.sink(spans, this::send, (seq, words) ->
        transcript.storeFinal(List.of(new TurnStore.Turn(seq, "agent", words))),
        transcript::stored);
    String screened = CallScreening.asks(utterance) ? screeningAnswer(settings) : null;
    if (screened != null) {
      sink.send(RetellFrames.response(responseId, screened, true));
      sink.said(agentSeq, screened);
    } else if (builtIn) {
      builtInTurns.answer(responseId, agentSeq, utterance, settings,
          id -> id == currentResponseId && line.open(id) && !ended, sink);
    } else {
      answers.ask(responseId, agentSeq, utterance, transcript.history(), settings,
          id -> id == currentResponseId && line.open(id) && !ended, sink);
    }
  }

  /**
   * What the agent tells a call screener: the call's identity and purpose, else the agent's
   * (the agent's name standing in for a missing identity); null when neither says anything.
   */
  private String screeningAnswer(JsonObject settings) {
    String identity = screeningIdentity != null ? screeningIdentity
        : settings.getString("callScreeningIdentity");
    String purpose = screeningPurpose != null ? screeningPurpose
        : settings.getString("callScreeningPurpose");
    if (identity == null && purpose == null) {
      return null;
    }
    return CallScreening.answer(identity != null ? identity : settings.getString("name"),
        purpose);
  }

  private void send(JsonObject frame) {
    line.sent(frame);
    if (socket != null && !socket.isClosed()) {
      socket.writeTextMessage(frame.encode());
    }
  }

  // ---- the end ----

  /**
   * Finalises the call once ({@link CallFinalizer}: status, end, duration, reason, the transcript
   * reconciled with the provider's and the {@code agent.call_ended} event, in one transaction),
   * publishes what was new and {@code ended}, then undeploys.
   */
  private Future<Void> finish(JsonObject retellCall, String reason) {
    answers.abandon();
    boolean wasEnded = ended;
    ended = true;
    Future<Void> done = transcript.stored()
        .compose(v -> services.finalizer().finishAndAnnounce(callId, retellCall, reason))
        .<Void>mapEmpty()
        .onFailure(e -> LOG.error("could not finalise call {}", callId, e));
    done.onComplete(x -> {
      if (farewell != null) {
        send(farewell);
      }
      if (socket != null) {
        socket.close();
      }
      stop(wasEnded ? "already ended" : "call ended");
    });
    return done;
  }
}

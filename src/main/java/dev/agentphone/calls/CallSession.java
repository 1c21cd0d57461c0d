package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.platform.Bus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One live call, as an actor: deployed when the call starts and undeployed when it ends, it owns
 * the call's Retell custom-LLM WebSocket, stores each transcript turn once, publishes it for
 * live subscribers on any node, bridges caller utterances to the customer's webhook and streams
 * the answers back. All of its state is rebuilt from the database when it starts, so a session
 * that restarts on another node after a reconnect carries on where the old one stopped.
 */
public final class CallSession extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CallSession.class);

  private final Engine engine;
  private final String callId;
  private final CallSessions registry;

  private String accountId;
  private String agentId;
  private String numberId;
  private String from;
  private String to;
  private String direction;
  private boolean builtIn;
  private String greeting;
  private String transferNumber;
  private int nextSeq;
  private final List<JsonObject> history = new ArrayList<>();

  private String endReason;
  private WebhookAnswers answers;

  private ServerWebSocket socket;
  private int currentResponseId = -1;
  private Future<Void> storing = Future.succeededFuture();
  private boolean ended;
  private long durationTimer = -1;
  /** Spoken, with {@code end_call}, after the call has been finalised (the maximum duration). */
  private JsonObject farewell;

  CallSession(Engine engine, String callId, CallSessions registry) {
    this.engine = engine;
    this.callId = callId;
    this.registry = registry;
  }

  /** The cluster-wide address the session answers on. */
  public static String address(String callId) {
    return "calls." + callId + ".session";
  }

  @Override
  public Future<?> start() {
    return CallStore.byId(engine.pool(), callId).compose(row -> {
      if (row == null) {
        return Future.failedFuture("no call " + callId);
      }
      load(row);
      answers = new WebhookAnswers(engine, registry::voiceWebhook, new WebhookAnswers.Parties(
          callId, accountId, agentId, numberId, from, to, direction));
      return Future.all(TurnStore.nextSeq(engine.pool(), callId).onSuccess(n -> nextSeq = n),
              TurnStore.list(engine.pool(), callId, -1).onSuccess(this::remember),
              agentSettings(row), durationLimit(row))
          .compose(v -> listen());
    });
  }

  /** Asks Retell to hang up over the socket, or (no socket) ends the call on our side. */
  private Future<JsonObject> hangUp(String reason) {
    if (ended) {
      return Future.succeededFuture(new JsonObject().put("ended", true));
    }
    if (socket != null) {
      send(response(Math.max(currentResponseId, 0), "", true).put("end_call", true));
      return Future.succeededFuture(new JsonObject().put("requested", true));
    }
    return finish(new JsonObject(), reason).map(new JsonObject().put("ended", true));
  }

  private void load(Row row) {
    accountId = row.getString("account_id");
    agentId = row.getString("agent_id");
    numberId = row.getString("phone_number_id");
    from = row.getString("from_number");
    to = row.getString("to_number");
    direction = row.getString("direction");
    builtIn = "hosted".equals(row.getString("voice_mode"));
    greeting = row.getString("initial_greeting");
    ended = !CallStore.live(row.getString("status"));
    endReason = row.getString("disconnection_reason");
  }

  private Future<Void> agentSettings(Row row) {
    if (agentId == null) {
      return Future.succeededFuture();
    }
    return Bus.<JsonObject>request(vertx, AgentsVerticle.GET,
            new JsonObject().put("accountId", accountId).put("agentId", agentId))
        .onSuccess(agent -> {
          transferNumber = agent.getString("transferNumber");
          if (greeting == null) {
            greeting = agent.getString("beginMessage");
          }
        })
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /** Arms the plan's deadline for this call (see {@link PlanDeadline}). */
  private Future<Void> durationLimit(Row row) {
    if (ended) {
      return Future.succeededFuture();
    }
    return PlanDeadline.of(engine, accountId, () -> "inbound".equals(direction) && nextSeq == 0,
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
    farewell = response(Math.max(currentResponseId, 0), words, true).put("end_call", true);
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
        storeFinal(TurnStore.fromTranscript(op.getJsonArray("transcript")));
        storing.onComplete(done -> message.reply(new JsonObject().put("stored", true)));
      }
      case "ended" -> finish(op.getJsonObject("call", new JsonObject()), null)
          .onComplete(done -> message.reply(new JsonObject().put("ended", true)));
      case "end" -> hangUp("api_hangup")
          .onComplete(done -> message.reply(new JsonObject().put("ended", true)));
      case "ping" -> message.reply(new JsonObject().put("callId", callId));
      default -> message.fail(400, "unknown operation");
    }
  }

  // ---- the Retell custom-LLM socket ----

  /**
   * Takes over the call's socket (a reconnect replaces the previous one), replaying the frames
   * that came while the call was being confirmed. A socket for a call that has ended is told to
   * hang up.
   */
  void attach(ServerWebSocket ws, List<String> early) {
    Context context = this.context;
    context.runOnContext(v -> {
      if (socket != null && socket != ws) {
        ServerWebSocket previous = socket;
        socket = null;
        previous.close();
      }
      socket = ws;
      ws.textMessageHandler(text -> context.runOnContext(x -> frame(ws, text)));
      // a node going down closes the socket at once: Retell reconnects, to another node
      ws.shutdownHandler(x -> ws.close((short) 1001, "node shutting down"));
      ws.closeHandler(x -> context.runOnContext(y -> {
        if (socket == ws) {
          socket = null;
          answers.abandon();
        }
      }));
      send(new JsonObject().put("response_type", "config").put("config",
          new JsonObject().put("auto_reconnect", true).put("call_details", true)));
      if (ended) {
        send(response(0, goodbye(endReason), true).put("end_call", true));
        ws.close();
        stop("socket for an ended call");
        return;
      }
      if (nextSeq == 0 && greeting != null && !greeting.isBlank()) {
        send(response(0, greeting, true));
        storeFinal(List.of(new TurnStore.Turn(0, "agent", greeting)));
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
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      return;
    }
    switch (frame.getString("interaction_type", "")) {
      case "ping_pong" -> send(new JsonObject().put("response_type", "ping_pong")
          .put("timestamp", frame.getValue("timestamp")));
      case "update_only" -> {
        // the last utterance may still be growing; everything before it is final
        List<TurnStore.Turn> turns = TurnStore.fromTranscript(frame.getJsonArray("transcript"));
        if (!turns.isEmpty()) {
          turns.remove(turns.size() - 1);
        }
        storeFinal(turns);
      }
      case "response_required", "reminder_required" -> respond(frame.getInteger("response_id", 0),
          frame.getJsonArray("transcript", new JsonArray()));
      default -> {
        // call_details and anything newer: nothing to do
      }
    }
  }

  private void respond(int responseId, JsonArray transcript) {
    if (responseId < currentResponseId || ended) {
      return;
    }
    currentResponseId = responseId;
    answers.abandon();
    List<TurnStore.Turn> turns = TurnStore.fromTranscript(transcript);
    storeFinal(turns);
    String utterance = turns.stream().filter(t -> "user".equals(t.role()))
        .reduce((a, b) -> b).map(TurnStore.Turn::content).orElse("");
    int agentSeq = transcript.size();
    if (builtIn) {
      BuiltInResponder.Reply reply = BuiltInResponder.reply(utterance);
      JsonObject frame = response(responseId, reply.text(), true);
      if (reply.hangup()) {
        frame.put("end_call", true);
      }
      send(frame);
      storeFinal(List.of(new TurnStore.Turn(agentSeq, "agent", reply.text())));
      return;
    }
    answers.ask(responseId, agentSeq, utterance, history, transferNumber,
        id -> id == currentResponseId && !ended, new WebhookAnswers.Sink() {
          @Override
          public void send(JsonObject frame) {
            CallSession.this.send(frame);
          }

          @Override
          public void said(int seq, String words) {
            storeFinal(List.of(new TurnStore.Turn(seq, "agent", words)));
          }
        });
  }

  static JsonObject response(int responseId, String content, boolean complete) {
    return new JsonObject().put("response_type", "response").put("response_id", responseId)
        .put("content", content).put("content_complete", complete).put("end_call", false);
  }

  private void send(JsonObject frame) {
    if (socket != null && !socket.isClosed()) {
      socket.writeTextMessage(frame.encode());
    }
  }

  // ---- turns ----

  /** Stores the final turns not stored yet, one write at a time, publishing what was new. */
  private void storeFinal(List<TurnStore.Turn> turns) {
    List<TurnStore.Turn> fresh = turns.stream()
        .filter(t -> t.seq() >= nextSeq && t.content() != null && !t.content().isBlank())
        .collect(Collectors.toList());
    if (fresh.isEmpty()) {
      return;
    }
    nextSeq = fresh.get(fresh.size() - 1).seq() + 1;
    storing = storing.compose(v -> TurnStore.insert(engine.pool(), callId, fresh))
        .onSuccess(inserted -> {
          remember(new JsonArray(inserted));
          TurnStore.publish(vertx, callId, inserted);
        })
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.error("could not store turns of call {}", callId, e);
          return Future.succeededFuture();
        });
  }

  private void remember(JsonArray turns) {
    turns.forEach(t -> history.add((JsonObject) t));
    if (history.size() > 100) {
      history.subList(0, history.size() - 100).clear();
    }
  }

  // ---- the end ----

  /**
   * Finalises the call once (status, end, duration, reason, the transcript reconciled with the
   * provider's, the snippet, and the {@code agent.call_ended} event in the same transaction),
   * publishes what was new and {@code ended}, then undeploys.
   */
  private Future<Void> finish(JsonObject retellCall, String reason) {
    answers.abandon();
    boolean wasEnded = ended;
    ended = true;
    Future<Void> done = storing
        .compose(v -> CallFinalizer.finishAndAnnounce(engine, callId, retellCall, reason))
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

  static String json(Object value) {
    return Json.encode(value);
  }
}

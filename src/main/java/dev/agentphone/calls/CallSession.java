package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.accounts.Plans;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import dev.agentphone.usage.BillingPeriod;
import dev.agentphone.usage.UsageLimits;
import dev.agentphone.usage.UsageStore;
import dev.agentphone.webhooks.SsrfGuard;
import dev.agentphone.webhooks.WebhookSettings;
import dev.agentphone.webhooks.WebhookSigner;
import dev.agentphone.webhooks.WebhooksVerticle;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private ServerWebSocket socket;
  private int currentResponseId = -1;
  private VoiceWebhook inflight;
  private long inflightTimer = -1;
  private Future<Void> storing = Future.succeededFuture();
  private boolean ended;
  private Future<JsonObject> cachedTarget;
  private long targetLoadedAt;
  private long targetCacheMillis;
  private WebhookSettings webhookSettings;
  private long maxTurnWaitMillis;
  private String fallback;
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
    webhookSettings = WebhookSettings.from(engine.config());
    maxTurnWaitMillis = engine.config().longValue("voice.maxTurnWaitMillis", 30_000);
    targetCacheMillis = engine.config().longValue("voice.webhookTargetCacheMillis", 5_000);
    fallback = engine.config().string("voice.fallbackMessage", "Sorry, could you say that again?");
    return CallStore.byId(engine.pool(), callId).compose(row -> {
      if (row == null) {
        return Future.failedFuture("no call " + callId);
      }
      load(row);
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

  /**
   * Ends the call when it reaches the plan's maximum duration, counted from its start, so a
   * session rebuilt after a reconnect keeps the original deadline. An inbound call arriving when
   * the month's voice minutes are used up is ended at once (placed calls were refused already).
   */
  private Future<Void> durationLimit(Row row) {
    if (ended) {
      return Future.succeededFuture();
    }
    OffsetDateTime started = row.getOffsetDateTime("started_at");
    Plans plans = new Plans(engine.config());
    return UsageStore.periodTotals(engine.pool(), accountId, BillingPeriod.month(Times.now()))
        .map(totals -> {
          String plan = totals.getString("plan");
          long used = UsageStore.minutes(totals.getLong("call_seconds"), plans.minuteSeconds());
          if ("inbound".equals(direction) && nextSeq == 0
              && used >= plans.limit(plan, "voiceMinutesPerMonth")) {
            durationTimer = vertx.setTimer(1, t -> endAtLimit(UsageLimits.MINUTES_USED_REASON,
                "Sorry, this number cannot take calls right now. Goodbye."));
            return null;
          }
          Duration max = UsageLimits.maxCallDuration(plans, plan);
          if (max != null) {
            long delay = started.plus(max).toInstant().toEpochMilli() - System.currentTimeMillis();
            durationTimer = vertx.setTimer(Math.max(1, delay), t -> endAtLimit(
                UsageLimits.MAX_DURATION_REASON, "This call has reached its time limit. Goodbye."));
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
    abandonInflight();
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

  /** Takes over the call's socket (a reconnect replaces the previous one). */
  void attach(ServerWebSocket ws, boolean configSent, List<JsonObject> early) {
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
          abandonInflight();
        }
      }));
      if (!configSent) {
        send(new JsonObject().put("response_type", "config").put("config",
            new JsonObject().put("auto_reconnect", true).put("call_details", true)));
      }
      if (nextSeq == 0 && greeting != null && !greeting.isBlank() && !ended) {
        send(response(0, greeting, true));
        storeFinal(List.of(new TurnStore.Turn(0, "agent", greeting)));
      }
      for (JsonObject frame : early) {
        frame(ws, frame.encode());
      }
      ws.resume();
    });
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
    abandonInflight();
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
    askWebhook(responseId, agentSeq, utterance);
  }

  private void askWebhook(int responseId, int agentSeq, String utterance) {
    StringBuilder said = new StringBuilder();
    boolean[] finished = new boolean[1];
    VoiceWebhook exchange = registry.voiceWebhook();
    inflight = exchange;
    Runnable giveUp = () -> {
      if (finished[0] || responseId != currentResponseId) {
        return;
      }
      finished[0] = true;
      exchange.abandon();
      String words = said.length() == 0 ? fallback : "";
      send(response(responseId, words, true));
      said.append(words);
      storeFinal(List.of(new TurnStore.Turn(agentSeq, "agent", said.toString())));
    };
    long wait = maxTurnWaitMillis;
    target()
        .onFailure(e -> giveUp.run())
        .onSuccess(target -> {
          if (target == null || responseId != currentResponseId) {
            giveUp.run();
            return;
          }
          long timeout = Math.min(wait, target.getLong("timeout", 30L) * 1000);
          inflightTimer = vertx.setTimer(timeout, t -> giveUp.run());
          String body = payload(utterance, target.getInteger("contextLimit", 10)).encode();
          Map<String, String> headers = WebhookSigner.headers(Ids.next("whd"),
              System.currentTimeMillis() / 1000, body.getBytes(StandardCharsets.UTF_8),
              target.getString("secret"));
          SsrfGuard.resolve(vertx, target.getString("url"), webhookSettings.allowPrivateTargets())
              .compose(checked -> exchange.post(checked, headers, body, timeout, chunk -> {
                if (finished[0] || responseId != currentResponseId) {
                  return;
                }
                String words = spaced(said, chunk.text());
                said.append(words);
                JsonObject frame = response(responseId, words, chunk.last());
                if (chunk.hangup()) {
                  frame.put("end_call", true);
                }
                if (chunk.transfer() && transferNumber != null) {
                  frame.put("transfer_number", transferNumber);
                }
                if (chunk.digits() != null) {
                  frame.put("digit_to_press", chunk.digits());
                }
                send(frame);
                if (chunk.last()) {
                  finished[0] = true;
                  vertx.cancelTimer(inflightTimer);
                  storeFinal(List.of(new TurnStore.Turn(agentSeq, "agent", said.toString())));
                }
              }))
              .onFailure(e -> {
                LOG.debug("voice webhook for call {} failed: {}", callId, e.getMessage());
                giveUp.run();
              });
        });
  }

  /**
   * The webhook this call's turns go to, looked up at most every few seconds: a turn should not
   * wait for the database, and a changed webhook takes effect within the cache time.
   */
  private Future<JsonObject> target() {
    long now = System.currentTimeMillis();
    if (cachedTarget != null && now - targetLoadedAt < targetCacheMillis) {
      return cachedTarget;
    }
    targetLoadedAt = now;
    cachedTarget = Bus.<JsonObject>request(vertx, WebhooksVerticle.TARGET,
            new JsonObject().put("accountId", accountId).put("agentId", agentId))
        .onFailure(e -> cachedTarget = null);
    return cachedTarget;
  }

  /** Streamed chunks are concatenated by the voice provider; keep words apart. */
  private static String spaced(StringBuilder said, String text) {
    if (said.length() == 0 || text.isEmpty() || Character.isWhitespace(text.charAt(0))
        || Character.isWhitespace(said.charAt(said.length() - 1))) {
      return text;
    }
    return " " + text;
  }

  private void abandonInflight() {
    if (inflight != null) {
      inflight.abandon();
      inflight = null;
    }
    if (inflightTimer >= 0) {
      vertx.cancelTimer(inflightTimer);
      inflightTimer = -1;
    }
  }

  /** The {@code agent.message} voice event, as every other webhook event is shaped. */
  private JsonObject payload(String utterance, int contextLimit) {
    List<JsonObject> recent = history.subList(Math.max(0, history.size() - contextLimit),
        history.size());
    return new JsonObject()
        .put("event", "agent.message")
        .put("channel", "voice")
        .put("timestamp", Times.format(Times.now()))
        .put("agentId", agentId)
        .put("data", new JsonObject()
            .put("callId", callId)
            .put("numberId", numberId)
            .put("from", from)
            .put("to", to)
            .put("status", "in-progress")
            .put("transcript", utterance)
            .put("confidence", null)
            .put("direction", direction))
        .put("conversationState", null)
        .put("recentHistory", new JsonArray(recent.stream().map(turn -> new JsonObject()
            .put("messageId", turn.getString("id"))
            .put("content", turn.getString("content"))
            .put("direction", "user".equals(turn.getString("role")) ? "inbound" : "outbound")
            .put("channel", "voice")
            .put("at", turn.getString("createdAt"))).collect(Collectors.toList())));
  }

  private static JsonObject response(int responseId, String content, boolean complete) {
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
    abandonInflight();
    boolean wasEnded = ended;
    ended = true;
    Future<Void> done = storing.compose(v -> CallFinalizer.finish(engine, callId, retellCall, reason))
        .onSuccess(result -> {
          if (result != null) {
            TurnStore.publish(vertx, callId, result.newTurns());
            TurnStore.publishEnded(vertx, callId, result.status(), result.durationSeconds());
          }
        })
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

package dev.agentphone.calls;

import dev.agentphone.Engine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The call sessions deployed on this node, one per live call. A session is found anywhere in the
 * cluster through its bus address; when no node has one (it never started, or its node died) the
 * caller deploys it here, rebuilt from the database.
 */
public final class CallSessions {
  private static final Logger LOG = LoggerFactory.getLogger(CallSessions.class);
  private static final ConcurrentHashMap<Vertx, CallSessions> NODES = new ConcurrentHashMap<>();
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(30_000);

  private final Engine engine;
  private final ConcurrentHashMap<String, Future<CallSession>> live = new ConcurrentHashMap<>();
  private final HttpClient webhooks;
  private final int answerLimitBytes;
  private final String fallback;
  private long heartbeat = -1;

  private CallSessions(Engine engine) {
    this.engine = engine;
    // one client for every session's webhook calls: connections are reused across calls
    this.webhooks = engine.vertx().createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(engine.config().integer("voice.webhookConnections", 256)));
    this.answerLimitBytes = engine.config().integer("voice.webhookAnswerLimitBytes", 65_536);
    this.fallback = engine.config().string("voice.fallbackMessage",
        "Sorry, could you say that again?");
  }

  /** A new exchange with a customer's voice webhook, over the node's shared connections. */
  VoiceWebhook voiceWebhook() {
    return new VoiceWebhook(webhooks, answerLimitBytes, fallback);
  }

  public static CallSessions of(Engine engine) {
    return NODES.computeIfAbsent(engine.vertx(), v -> new CallSessions(engine));
  }

  static void forget(Engine engine) {
    CallSessions sessions = NODES.remove(engine.vertx());
    if (sessions != null) {
      if (sessions.heartbeat >= 0) {
        engine.vertx().cancelTimer(sessions.heartbeat);
      }
      sessions.webhooks.close();
    }
  }

  /**
   * Marks every call with a session here as seen, in one statement per period: a live call not
   * seen for a while has lost its node, and the {@link CallReconciler} takes care of it.
   */
  void startHeartbeat() {
    if (heartbeat >= 0) {
      return;
    }
    heartbeat = engine.vertx().setPeriodic(engine.config().longValue("calls.sessionHeartbeatMillis"),
        t -> {
          String[] ids = live.keySet().toArray(new String[0]);
          if (ids.length == 0) {
            return;
          }
          engine.pool().preparedQuery("UPDATE calls SET session_seen_at = now() "
                  + "WHERE id = ANY($1) AND ended_at IS NULL")
              .execute(Tuple.tuple().addArrayOfString(ids))
              .onFailure(e -> LOG.warn("could not record {} live call sessions: {}", ids.length,
                  e.getMessage()));
        });
  }

  /** The local session of the call, deployed now if this node has none. */
  public Future<CallSession> ensure(String callId) {
    Future<CallSession> existing = live.get(callId);
    if (existing != null && !existing.failed()) {
      return existing;
    }
    Future<CallSession> started = live.compute(callId, (id, current) -> {
      if (current != null && !current.failed()) {
        return current;
      }
      CallSession session = new CallSession(engine, id, this);
      return engine.vertx().deployVerticle(session).map(deploymentId -> session);
    });
    return started.onFailure(e -> live.remove(callId, started));
  }

  void gone(String callId) {
    live.remove(callId);
  }

  /** Live sessions on this node. */
  public int size() {
    return live.size();
  }

  /**
   * Sends an operation to the call's session wherever it runs; with none anywhere, starts one
   * here and sends again.
   */
  public Future<JsonObject> deliver(String callId, JsonObject operation) {
    return send(callId, operation).recover(failure -> {
      if (failure instanceof ReplyException reply
          && reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return ensure(callId).compose(session -> send(callId, operation));
      }
      return Future.failedFuture(failure);
    });
  }

  private Future<JsonObject> send(String callId, JsonObject operation) {
    return engine.vertx().eventBus().<JsonObject>request(CallSession.address(callId), operation,
        REQUEST).map(message -> message.body());
  }
}

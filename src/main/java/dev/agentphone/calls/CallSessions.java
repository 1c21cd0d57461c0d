package dev.agentphone.calls;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The call sessions deployed on this node, one per live call: the node's registry, built once at
 * start-up and handed to whoever reaches sessions. A session is found anywhere in the cluster
 * through its bus address; when no node has one (it never started, or its node died) the caller
 * deploys it here, rebuilt from the database.
 */
public final class CallSessions {
  private static final Logger LOG = LoggerFactory.getLogger(CallSessions.class);
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(30_000);

  private final Vertx vertx;
  private final SessionServices services;
  private final long heartbeatMillis;
  private final ConcurrentHashMap<String, Future<CallSession>> live = new ConcurrentHashMap<>();
  /** The webhook clients, one per event loop: see {@link #voiceWebhook()}. */
  private final Map<EventExecutor, HttpClient> webhooks = new HashMap<>();
  private final TurnWriter turns;
  private long heartbeat = -1;

  CallSessions(Vertx vertx, SessionServices services, long heartbeatMillis) {
    this.vertx = vertx;
    this.services = services;
    this.heartbeatMillis = heartbeatMillis;
    // connections are reused across calls, each on the event loop of the sessions that use it
    EventLoopGroup loops = ((VertxInternal) vertx).nettyEventLoopGroup();
    int count = 0;
    for (EventExecutor ignored : loops) {
      count++;
    }
    int perLoop = Math.max(1, (services.voice().webhookConnections() + count - 1) / count);
    for (EventExecutor loop : loops) {
      webhooks.put(loop, vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(perLoop)));
    }
    this.turns = new TurnWriter(vertx, services.pool());
  }

  /** Where every session of this node stores its final turns. */
  TurnWriter turns() {
    return turns;
  }

  /**
   * A new exchange with a customer's voice webhook, for a session on the calling event loop.
   * Each loop has its own pool: a client's pool hands out its most recently used connection
   * whatever loop that connection lives on, and a turn whose connection lives on another loop
   * pays two hops between threads (the request out, the answer back) and waits behind that
   * loop's work as well as its own. With one pool per loop a turn's exchange stays on the
   * session's loop; {@code voice.webhookConnections} is shared out between the loops.
   */
  VoiceWebhook voiceWebhook() {
    ContextInternal current = ContextInternal.current();
    HttpClient client = current == null ? null : webhooks.get(current.nettyEventLoop());
    if (client == null) {
      client = webhooks.values().iterator().next();
    }
    return new VoiceWebhook(client, services.voice().webhookAnswerLimitBytes(),
        services.voice().fallbackMessage());
  }

  /**
   * Marks every call with a session here as seen, in one statement per period: a live call not
   * seen for a while has lost its node, and the {@link CallReconciler} takes care of it.
   */
  void startHeartbeat() {
    if (heartbeat >= 0) {
      return;
    }
    heartbeat = vertx.setPeriodic(heartbeatMillis, t -> {
      String[] ids = live.keySet().toArray(new String[0]);
      if (ids.length == 0) {
        return;
      }
      services.pool().preparedQuery("UPDATE calls SET session_seen_at = now() "
              + "WHERE id = ANY($1) AND ended_at IS NULL")
          .execute(Tuple.tuple().addArrayOfString(ids))
          .onFailure(e -> LOG.warn("could not record {} live call sessions: {}", ids.length,
              e.getMessage()));
    });
  }

  /** Stops the heartbeat and closes the shared webhook connections. */
  void close() {
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
      heartbeat = -1;
    }
    webhooks.values().forEach(HttpClient::close);
  }

  /** The local session of the call, deployed now if this node has none. */
  Future<CallSession> ensure(String callId) {
    Future<CallSession> existing = live.get(callId);
    if (existing != null && !existing.failed()) {
      return existing;
    }
    Future<CallSession> started = live.compute(callId, (id, current) -> {
      if (current != null && !current.failed()) {
        return current;
      }
      CallSession session = new CallSession(id, services, this);
      return vertx.deployVerticle(session).map(deploymentId -> session);
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
  Future<JsonObject> deliver(String callId, JsonObject operation) {
    return send(callId, operation).recover(failure -> {
      if (failure instanceof ReplyException reply
          && reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return ensure(callId).compose(session -> send(callId, operation));
      }
      return Future.failedFuture(failure);
    });
  }

  private Future<JsonObject> send(String callId, JsonObject operation) {
    return vertx.eventBus().<JsonObject>request(CallSession.address(callId), operation,
        REQUEST).map(message -> message.body());
  }
}

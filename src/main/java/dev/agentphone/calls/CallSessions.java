package dev.agentphone.calls;

import dev.agentphone.platform.EventLoopDeployment;
import io.netty.channel.EventLoop;
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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
  private static final JsonObject PING = new JsonObject().put("op", "ping");

  private final long socketWaitMillis;
  private final ConcurrentHashMap<String, Future<CallSession>> live = new ConcurrentHashMap<>();
  /** Calls announced by Retell whose session waits for the LLM socket: {@link #expect}. */
  private final ConcurrentHashMap<String, Long> awaiting = new ConcurrentHashMap<>();
  /** The webhook clients, one per event loop: see {@link #voiceWebhook()}. */
  private final Map<EventExecutor, HttpClient> webhooks = new HashMap<>();
  private final TurnWriter turns;
  private final TimingWriter timings;
  private long heartbeat = -1;

  CallSessions(Vertx vertx, SessionServices services, long heartbeatMillis,
      long socketWaitMillis) {
    this.vertx = vertx;
    this.services = services;
    this.heartbeatMillis = heartbeatMillis;
    this.socketWaitMillis = socketWaitMillis;
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
    this.timings = new TimingWriter(vertx, services.pool());
  }

  /** Where every session of this node stores its final turns. */
  TurnWriter turns() {
    return turns;
  }

  /** Where every session of this node records its turns' timings. */
  TimingWriter timings() {
    return timings;
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
      services.lookups().sweep();
      // a call waiting for its socket is as good as seen: its session is about to start
      Set<String> seen = new HashSet<>(live.keySet());
      seen.addAll(awaiting.keySet());
      String[] ids = seen.toArray(new String[0]);
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

  /** Stops the heartbeat and the waits for sockets, and closes the shared webhook connections. */
  void close() {
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
      heartbeat = -1;
    }
    awaiting.values().forEach(vertx::cancelTimer);
    awaiting.clear();
    webhooks.values().forEach(HttpClient::close);
  }

  /**
   * The local session of the call, deployed now if this node has none, on the next event loop
   * in turn (sessions started from the bus or a webhook spread over the loops).
   */
  Future<CallSession> ensure(String callId) {
    return ensure(callId, null);
  }

  /**
   * The local session of the call, deployed now on {@code loop} (the loop of the call's LLM
   * socket) if this node has none. A session already running stays where it is.
   */
  Future<CallSession> ensure(String callId, EventLoop loop) {
    Long waiting = awaiting.remove(callId);
    if (waiting != null) {
      vertx.cancelTimer(waiting);
    }
    Future<CallSession> existing = live.get(callId);
    if (existing != null && !existing.failed()) {
      return existing;
    }
    Future<CallSession> started = live.compute(callId, (id, current) -> {
      if (current != null && !current.failed()) {
        return current;
      }
      CallSession session = new CallSession(id, services, this);
      Future<String> deployed = loop == null ? vertx.deployVerticle(session)
          : EventLoopDeployment.deploy(vertx, session, loop);
      return deployed.map(deploymentId -> session);
    });
    return started.onFailure(e -> live.remove(callId, started));
  }

  /**
   * Retell says a call of the engine's custom LLM has started: its LLM socket is on the way
   * (Retell opens it as the call is answered, and it may well be here already). The session is
   * deployed when the socket comes, so that both run on the socket's event loop and a turn never
   * crosses between threads. A socket that has not come within {@code socketWaitMillis} leaves
   * the call to a session wherever one answers on the bus, else one started here.
   */
  Future<Void> expect(String callId) {
    if (socketWaitMillis <= 0 || live.containsKey(callId)) {
      return ensure(callId).mapEmpty();
    }
    awaiting.computeIfAbsent(callId, id -> vertx.setTimer(socketWaitMillis, t -> {
      if (awaiting.remove(id, t)) {
        deliver(id, PING).onFailure(e -> LOG.warn("could not start the session of call {}: {}",
            id, e.getMessage()));
      }
    }));
    return Future.succeededFuture();
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

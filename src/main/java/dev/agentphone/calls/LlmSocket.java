package dev.agentphone.calls;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Accepts Retell's custom-LLM WebSocket for a call of one agent, whose secret the route has
 * already checked, and hands it to the call's session on this node. The socket only ever serves a
 * call of that agent: a known call of another agent is refused, and a call the engine has not seen
 * is confirmed with Retell first (its REST API says whose call it is), so nobody can take over or
 * invent a call with what they send over the socket. Until then at most a handful of frames are
 * kept and the socket gets a few seconds.
 */
final class LlmSocket {
  private static final Logger LOG = LoggerFactory.getLogger(LlmSocket.class);
  private static final short POLICY = 1008;

  private final Vertx vertx;
  private final CallsApi calls;
  private final CallSessions sessions;
  private final CallSettings.Socket settings;
  private final String agentId;
  private final String retellCallId;

  LlmSocket(Vertx vertx, CallsApi calls, CallSessions sessions, CallSettings.Socket settings,
      String agentId, String retellCallId) {
    this.vertx = vertx;
    this.calls = calls;
    this.sessions = sessions;
    this.settings = settings;
    this.agentId = agentId;
    this.retellCallId = retellCallId;
  }

  void accept(HttpServerRequest request) {
    // the socket lives on the event loop of the request that upgrades to it
    EventLoop loop = ContextInternal.current().nettyEventLoop();
    request.toWebSocket().onFailure(e -> LOG.debug("websocket upgrade failed", e))
        .onSuccess(ws -> {
          ws.pause();
          calls.locate(retellCallId)
              .onFailure(e -> ws.close((short) 1011, "engine unavailable"))
              .onSuccess(found -> {
                if (found == null) {
                  confirm(ws, loop);
                } else if (agentId.equals(found.getString("agentId"))) {
                  handOver(ws, loop, found.getString("callId"), List.of());
                } else {
                  LOG.info("refused an LLM socket of agent {} for call {} of another agent",
                      agentId, retellCallId);
                  ws.close(POLICY, "not this agent's call");
                }
              });
        });
  }

  /** Asks Retell about the call while keeping the first few frames for the session. */
  private void confirm(ServerWebSocket ws, EventLoop loop) {
    int maxFrames = settings.earlyFrames();
    long setupMillis = settings.setupMillis();
    List<String> early = new ArrayList<>();
    boolean[] settled = new boolean[1];
    long timer = vertx.setTimer(setupMillis, t -> {
      if (!settled[0]) {
        settled[0] = true;
        ws.close(POLICY, "call not confirmed in time");
      }
    });
    ws.textMessageHandler(text -> {
      if (settled[0]) {
        return;
      }
      if (early.size() >= maxFrames) {
        settled[0] = true;
        vertx.cancelTimer(timer);
        ws.close(POLICY, "too many frames before the call was confirmed");
        return;
      }
      early.add(text);
    });
    ws.binaryMessageHandler(data -> {
      if (!settled[0]) {
        settled[0] = true;
        vertx.cancelTimer(timer);
        ws.close((short) 1003, "text frames only");
      }
    });
    ws.closeHandler(v -> {
      settled[0] = true;
      vertx.cancelTimer(timer);
    });
    ws.resume();
    calls.confirm(retellCallId, agentId)
        .onComplete(done -> {
          if (settled[0]) {
            return;
          }
          settled[0] = true;
          vertx.cancelTimer(timer);
          if (done.failed()) {
            LOG.info("refused an LLM socket of agent {} for call {}: {}", agentId, retellCallId,
                done.cause().getMessage());
            ws.close(POLICY, "unknown call");
            return;
          }
          ws.pause();
          ws.textMessageHandler(null);
          ws.binaryMessageHandler(null);
          ws.closeHandler(null);
          handOver(ws, loop, done.result().getString("callId"), early);
        });
  }

  private void handOver(ServerWebSocket ws, EventLoop loop, String callId, List<String> early) {
    sessions.ensure(callId, loop)
        .onFailure(e -> ws.close((short) 1011, "session unavailable"))
        .onSuccess(s -> s.attach(ws, loop, early));
  }
}

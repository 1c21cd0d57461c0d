package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Accepts Retell's custom-LLM WebSocket for a call and hands it to the call's session on this
 * node. A socket for a call the engine has not seen (an inbound call whose webhook has not
 * arrived yet) is accepted too: we ask for {@code call_details}, create the call from them, and
 * then hand the socket over with the frames that came first.
 */
final class LlmSocket {
  private static final Logger LOG = LoggerFactory.getLogger(LlmSocket.class);

  private final Engine engine;
  private final String retellCallId;

  LlmSocket(Engine engine, String retellCallId) {
    this.engine = engine;
    this.retellCallId = retellCallId;
  }

  void accept(HttpServerRequest request) {
    request.toWebSocket().onFailure(e -> LOG.debug("websocket upgrade failed", e))
        .onSuccess(ws -> {
          ws.pause();
          Bus.<JsonObject>request(engine.vertx(), CallsVerticle.LOCATE,
                  new JsonObject().put("retellCallId", retellCallId))
              .onFailure(e -> ws.close((short) 1011, "engine unavailable"))
              .onSuccess(found -> {
                if (found != null) {
                  handOver(ws, found.getString("callId"), false, List.of());
                } else {
                  awaitDetails(ws);
                }
              });
        });
  }

  private void awaitDetails(ServerWebSocket ws) {
    List<JsonObject> early = new ArrayList<>();
    boolean[] adopting = new boolean[1];
    ws.textMessageHandler(text -> {
      JsonObject frame;
      try {
        frame = new JsonObject(text);
      } catch (RuntimeException e) {
        return;
      }
      if ("ping_pong".equals(frame.getString("interaction_type"))) {
        ws.writeTextMessage(new JsonObject().put("response_type", "ping_pong")
            .put("timestamp", frame.getValue("timestamp")).encode());
        return;
      }
      if (!"call_details".equals(frame.getString("interaction_type"))) {
        early.add(frame);
        return;
      }
      if (adopting[0]) {
        return;
      }
      adopting[0] = true;
      ws.pause();
      JsonObject call = frame.getJsonObject("call", new JsonObject()).copy()
          .put("call_id", retellCallId);
      Bus.<JsonObject>request(engine.vertx(), CallsVerticle.ADOPT, new JsonObject().put("call", call))
          .onFailure(e -> ws.close((short) 1008, "unknown call"))
          .onSuccess(adopted -> handOver(ws, adopted.getString("callId"), true, early));
    });
    ws.writeTextMessage(new JsonObject().put("response_type", "config").put("config",
        new JsonObject().put("auto_reconnect", true).put("call_details", true)).encode());
    ws.resume();
  }

  private void handOver(ServerWebSocket ws, String callId, boolean configSent,
      List<JsonObject> early) {
    Future<CallSession> session = CallSessions.of(engine).ensure(callId);
    session.onFailure(e -> ws.close((short) 1011, "session unavailable"))
        .onSuccess(s -> s.attach(ws, configSent, early));
  }
}

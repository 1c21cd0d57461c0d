package dev.agentphone.sandbox;

import dev.agentphone.platform.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.function.BiFunction;

/**
 * The simulated Retell's side of a custom-LLM call's WebSocket: it connects to the engine's LLM
 * endpoint, sends {@code call_details} when the engine's config asks for them, and hears the
 * engine's {@code response} and {@code agent_interrupt} frames as Retell would (a frame for a
 * superseded {@code response_id} is dropped).
 */
final class SimulatedLlmSocket {
  private final Vertx vertx;
  private final WebSocketClient sockets;
  private final CallerSilence silence;
  private final BiFunction<SimulatedCall, String, Future<Void>> hangUp;

  SimulatedLlmSocket(Vertx vertx, WebSocketClient sockets, CallerSilence silence,
      BiFunction<SimulatedCall, String, Future<Void>> hangUp) {
    this.vertx = vertx;
    this.sockets = sockets;
    this.silence = silence;
    this.hangUp = hangUp;
  }

  /** Opens the call's LLM socket as Retell does; completes once the engine sent its config. */
  Future<Void> connect(SimulatedCall sim) {
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
          if (sim.firstFrameAt < 0) {
            sim.firstFrameAt = System.nanoTime();
          }
          if (sim.reply.length() == 0) {
            sim.turnTaking("agent_turn");
          }
          sim.reply.append(content);
          if (frame.getBoolean("content_complete", false)) {
            String said = sim.reply.toString();
            sim.agentSays(said);
            sim.turnTaking("user_turn");
            Promise<JsonObject> pending = sim.pending;
            sim.pending = null;
            pending.tryComplete(new JsonObject().put("callId", sim.ourId).put("reply", said)
                .put("endCall", endCall).put("latencyMs", sim.latencyMs(sim.firstFrameAt)));
            if (endCall) {
              hangUp.apply(sim, "agent_hangup");
            } else if (!acted(sim, frame)) {
              silence.quiet(sim);
            }
          }
        } else if (id > 0 && id < sim.responseId) {
          // a superseded response: Retell drops what arrives for an older response_id
        } else {
          // unprompted speech: the greeting, or a hang-up asked for through the API
          sim.agentSays(content);
          sim.greeted.tryComplete();
          if (endCall) {
            hangUp.apply(sim, "agent_hangup");
          }
        }
      }
      case "agent_interrupt" -> {
        // the agent speaks unprompted, cutting in: heard at once, then the turn is the caller's
        String content = frame.getString("content", "");
        if (!content.isBlank()) {
          sim.turnTaking("agent_turn");
          sim.agentSays(content);
          sim.turnTaking("user_turn");
        }
        if (frame.getBoolean("end_call", false)) {
          hangUp.apply(sim, "agent_hangup");
        } else {
          acted(sim, frame);
        }
      }
      default -> {
        // ping_pong and anything newer
      }
    }
  }

  /**
   * What Retell does with an action in the agent's frame: a transfer ends the call for the
   * agent ({@code call_transfer}); pressed digits are heard by the other side (kept with the
   * call as {@code digits_pressed}). True when the call was transferred.
   */
  private boolean acted(SimulatedCall sim, JsonObject frame) {
    String digits = frame.getString("digit_to_press");
    if (digits != null) {
      sim.call.put("digits_pressed", sim.call.getString("digits_pressed", "") + digits);
    }
    String transfer = frame.getString("transfer_number");
    if (transfer != null) {
      sim.call.put("transferred_to", transfer);
      hangUp.apply(sim, "call_transfer");
      return true;
    }
    return false;
  }
}

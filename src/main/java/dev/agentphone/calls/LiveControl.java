package dev.agentphone.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's hand on a live call, inside its session: {@code takeover} and {@code release}, and
 * what they have the agent say or do ({@code say}, {@code transfer}, {@code dtmf}). While the call
 * is taken over neither the customer's webhook nor the built-in responder is asked: the
 * operator's words are the agent's answers. Who took the call over and when is kept in the
 * call's timeline ({@link CallEvents}), so a session rebuilt on another node knows it too.
 * Every command is answered {@code {ok, detail?}}; one that does not apply is refused with a
 * detail saying why.
 */
final class LiveControl {
  private static final Logger LOG = LoggerFactory.getLogger(LiveControl.class);

  /** What the session offers the operator. */
  interface Line {
    boolean ended();

    /** Whether Retell's LLM socket is attached, so the agent can be told anything. */
    boolean connected();

    /** Speaks now: the answer to the caller's open turn, or an interruption. */
    void say(String text);

    /** An action without words: {@code transfer_number} or {@code digit_to_press}. */
    void act(String field, String value);

    /** The call was taken over: an answer being prepared is dropped. */
    void takenOver();

    /** The call was released: a caller's turn left open is answered as usual. */
    void released();
  }

  private final Pool pool;
  private final String callId;
  private final LiveFeed feed;
  /** {@code {by, at}} while taken over, else null. */
  private JsonObject takeover;

  LiveControl(Pool pool, String callId, LiveFeed feed) {
    this.pool = pool;
    this.callId = callId;
    this.feed = feed;
  }

  /** Reads whether the call is taken over (the timeline's last takeover or release). */
  Future<Void> load() {
    return CallEvents.currentTakeover(pool, callId).onSuccess(t -> takeover = t).mapEmpty();
  }

  boolean takenOver() {
    return takeover != null;
  }

  /** {@code {command, text?, number?, digits?, actor}}, already validated at the edge. */
  Future<JsonObject> handle(JsonObject op, Line line) {
    String command = op.getString("command", "");
    JsonObject actor = op.getJsonObject("actor");
    if (line.ended()) {
      return refused("The call has ended");
    }
    if (!line.connected()) {
      return refused("The agent cannot be reached right now: this call has no open connection "
          + "with Retell's custom-LLM socket (a hosted-mode call is answered by Retell itself)");
    }
    switch (command) {
      case "takeover" -> {
        if (takeover != null) {
          return refused("The call is already taken over (by " + describe(takeover) + ")");
        }
        takeover = new JsonObject().put("by", actor);
        line.takenOver();
        return timeline(CallEvents.TAKEOVER, actor, null).map(event -> {
          takeover.put("at", event.getString("at"));
          feed.publish("takeover", new JsonObject().put("by", actor).put("at",
              event.getString("at")));
          return ok();
        });
      }
      case "release" -> {
        if (takeover == null) {
          return refused("The call is not taken over");
        }
        takeover = null;
        return timeline(CallEvents.RELEASE, actor, null).map(event -> {
          feed.publish("release", new JsonObject().put("by", actor).put("at",
              event.getString("at")));
          line.released();
          return ok();
        });
      }
      case "say" -> {
        String text = op.getString("text");
        line.say(text);
        timeline("say", actor, new JsonObject().put("text", text));
        return Future.succeededFuture(ok());
      }
      case "transfer" -> {
        line.act("transfer_number", op.getString("number"));
        timeline("transfer", actor, new JsonObject().put("number", op.getString("number")));
        return Future.succeededFuture(ok());
      }
      case "dtmf" -> {
        line.act("digit_to_press", op.getString("digits"));
        timeline("dtmf", actor, new JsonObject().put("digits", op.getString("digits")));
        return Future.succeededFuture(ok());
      }
      default -> {
        return refused("Unknown command " + command);
      }
    }
  }

  /** Records an event of the timeline; a failure to record is logged, never the operator's. */
  private Future<JsonObject> timeline(String type, JsonObject actor, JsonObject data) {
    return CallEvents.record(pool, callId, type, actor, data)
        .recover(e -> {
          LOG.warn("could not record {} on the timeline of call {}: {}", type, callId,
              e.getMessage());
          return Future.succeededFuture(new JsonObject().put("at", TurnStore.nowText()));
        });
  }

  private static String describe(JsonObject takeover) {
    JsonObject by = takeover.getJsonObject("by");
    return by == null ? "someone" : by.getString("keyId", "someone");
  }

  private static JsonObject ok() {
    return new JsonObject().put("ok", true);
  }

  private static Future<JsonObject> refused(String detail) {
    return Future.succeededFuture(new JsonObject().put("ok", false).put("detail", detail));
  }
}

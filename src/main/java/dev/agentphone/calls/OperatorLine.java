package dev.agentphone.calls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A call session's line to Retell as live subscribers and the operator see it: the caller's turn
 * still waiting for its answer, the caller's words as they are heard, the agent's turn-taking,
 * and how the operator's words reach Retell. Words said while a caller's turn is open answer it
 * ({@code response}); otherwise they interrupt ({@code agent_interrupt}) and are stored as the
 * next turn, after the caller's utterance they cut into once that is final.
 */
final class OperatorLine implements LiveControl.Line {
  private final Transcript transcript;
  private final LiveFeed feed;
  private final Consumer<JsonObject> retell;
  private final BooleanSupplier ended;
  private final BooleanSupplier connected;
  private final Runnable abandonAnswer;
  private final BiConsumer<Integer, JsonArray> respond;

  /** The caller's turn still waiting for the agent's complete answer, at {@code openSeq}. */
  private int openResponse = -1;
  private int openSeq;
  private JsonArray openSaid;
  private int interruptId;
  /** The caller's utterance still being heard (the last of Retell's transcript), and where. */
  private String interim;
  private int interimSeq = -1;
  /** An interruption's words, stored once the caller's utterance they cut into is final. */
  private String held;

  OperatorLine(Transcript transcript, LiveFeed feed, Consumer<JsonObject> retell,
      BooleanSupplier ended, BooleanSupplier connected, Runnable abandonAnswer,
      BiConsumer<Integer, JsonArray> respond) {
    this.transcript = transcript;
    this.feed = feed;
    this.retell = retell;
    this.ended = ended;
    this.connected = connected;
    this.abandonAnswer = abandonAnswer;
    this.respond = respond;
  }

  /** Retell asks for the answer to {@code said} (response {@code responseId}, at {@code seq}). */
  void opened(int responseId, int seq, JsonArray said) {
    openResponse = responseId;
    openSeq = seq;
    openSaid = said;
  }

  /** Whether {@code responseId} still waits for its complete answer. */
  boolean open(int responseId) {
    return responseId == openResponse;
  }

  /** A frame on its way to Retell: a complete answer closes the caller's turn. */
  void sent(JsonObject frame) {
    if ("response".equals(frame.getString("response_type"))
        && frame.getBoolean("content_complete", false)
        && frame.getInteger("response_id", -2) == openResponse) {
      openResponse = -1;
    }
  }

  /** Everything the caller said so far is final (Retell asks for an answer). */
  void callerFinal() {
    interimSeq = -1;
    storeHeld();
  }

  /** The caller's words as they grow, for live subscribers (once per change). */
  void heard(TurnStore.Turn growing) {
    if (growing != null && "user".equals(growing.role()) && !growing.content().isBlank()
        && (growing.seq() != interimSeq || !growing.content().equals(interim))) {
      interimSeq = growing.seq();
      interim = growing.content();
      feed.publish("interim", new JsonObject().put("seq", interimSeq).put("role", "user")
          .put("text", interim));
    }
    storeHeld();
  }

  /** Retell's turn-taking hint: the agent starts speaking, or hands the turn to the caller. */
  void speaking(String turntaking) {
    if ("agent_turn".equals(turntaking)) {
      feed.publish("agent_speaking", new JsonObject().put("state", "started"));
    } else if ("user_turn".equals(turntaking)) {
      feed.publish("agent_speaking", new JsonObject().put("state", "finished"));
    }
  }

  private void storeHeld() {
    if (held != null && interimSeq < transcript.nextSeq()) {
      transcript.storeFinal(List.of(new TurnStore.Turn(transcript.nextSeq(), "agent", held)));
      held = null;
    }
  }

  @Override
  public boolean ended() {
    return ended.getAsBoolean();
  }

  @Override
  public boolean connected() {
    return connected.getAsBoolean();
  }

  @Override
  public void say(String text) {
    if (openResponse >= 0) {
      abandonAnswer.run();
      int seq = openSeq;
      retell.accept(RetellFrames.response(openResponse, text, true));
      transcript.storeFinal(List.of(new TurnStore.Turn(seq, "agent", text)));
      return;
    }
    retell.accept(RetellFrames.interrupt(++interruptId, text));
    held = held == null ? text : held + " " + text;
    storeHeld();
  }

  @Override
  public void act(String field, String value) {
    retell.accept(RetellFrames.interrupt(++interruptId, "").put(field, value));
  }

  @Override
  public void takenOver() {
    abandonAnswer.run();
  }

  @Override
  public void released() {
    if (openResponse >= 0 && openSaid != null) {
      int open = openResponse;
      openResponse = -1;
      respond.accept(open, openSaid);
    }
  }
}

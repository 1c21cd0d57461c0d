package dev.agentphone.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A turn's {@link WebhookAnswers.Sink} that marks its {@link TurnSpans} as the answer goes. */
final class TimedSink implements WebhookAnswers.Sink {
  private final TurnSpans turn;
  private final CallTimeline timeline;
  private final Consumer<JsonObject> send;
  private final BiConsumer<Integer, String> said;
  private final Supplier<Future<Void>> stored;

  TimedSink(TurnSpans turn, CallTimeline timeline, Consumer<JsonObject> send,
      BiConsumer<Integer, String> said, Supplier<Future<Void>> stored) {
    this.turn = turn;
    this.timeline = timeline;
    this.send = send;
    this.said = said;
    this.stored = stored;
  }

  @Override
  public void send(JsonObject frame) {
    send.accept(frame);
    turn.frameOut(Boolean.TRUE.equals(frame.getValue("content_complete")));
    timeline.actions(turn.responseId, frame);
  }

  @Override
  public void said(int seq, String words) {
    said.accept(seq, words);
    timeline.answered(turn, stored.get());
  }

  @Override
  public void webhookSent() {
    turn.webhookSent();
  }

  @Override
  public void webhookFirstByte() {
    turn.webhookFirstByte();
  }

  @Override
  public void webhookDone(boolean answered) {
    turn.webhookDone(answered);
  }

  @Override
  public void fellBack() {
    turn.outcome("fallback");
  }
}

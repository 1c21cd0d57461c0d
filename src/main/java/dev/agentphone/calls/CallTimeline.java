package dev.agentphone.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a live call's session records for its timeline ({@code GET /v1/calls/{id}/timeline}),
 * always after the fact and never on the reply path: each turn's {@link TurnSpans} once its
 * answer has gone out and been stored (in {@code call_turn_timings}, through the node's
 * {@link TimingWriter}), and the call's events
 * (provider socket connected, reconnected, disconnected; tool calls; transfers and DTMF the agent
 * asked for) in {@code call_events}, beside the takeovers {@link LiveControl} records there. The
 * same measurements go to {@link TurnMetrics} and {@link CallTracing}. A write that fails is
 * logged: the call carries on.
 */
final class CallTimeline {
  private static final Logger LOG = LoggerFactory.getLogger(CallTimeline.class);

  private final Pool pool;
  private final TimingWriter timings;
  private final String callId;
  private final String mode;
  private final CallTracing tracing;
  private TurnSpans current;

  CallTimeline(Pool pool, TimingWriter timings, String callId, String mode) {
    this.pool = pool;
    this.timings = timings;
    this.callId = callId;
    this.mode = mode;
    this.tracing = new CallTracing(callId, mode);
  }

  /** A new turn's frame came in; the one still open is superseded by it. */
  TurnSpans begin(int responseId) {
    leave(current, "superseded");
    current = new TurnSpans(responseId, mode);
    return current;
  }

  /** The call is taken over: the operator answers this turn. */
  void operator(TurnSpans turn) {
    leave(turn, "operator");
  }

  /**
   * The sink a turn's answer goes through, timing it: frames to {@code send}, the complete answer
   * to {@code said}, then, once {@code stored} says the transcript has it, the turn is written.
   */
  WebhookAnswers.Sink sink(TurnSpans turn, Consumer<JsonObject> send,
      BiConsumer<Integer, String> said, Supplier<Future<Void>> stored) {
    return new TimedSink(turn, this, send, said, stored);
  }

  /** The turn's answer is complete: written once the transcript has stored it. */
  void answered(TurnSpans turn, Future<Void> stored) {
    if (!turn.close()) {
      return;
    }
    stored.onComplete(v -> {
      turn.stored();
      write(turn);
    });
  }

  private void leave(TurnSpans turn, String outcome) {
    if (turn != null && turn.close()) {
      turn.outcome(outcome);
      write(turn);
    }
  }

  /** What the live feed publishes that belongs on the timeline. */
  void fromFeed(String type, JsonObject data) {
    switch (type) {
      case "provider_socket" -> event(data.getString("state"), new JsonObject());
      case "tool_call" -> event("tool_call", new JsonObject().put("name", data.getString("name"))
          .put("ok", data.getBoolean("ok")));
      default -> {
        // interim words, speaking, webhook progress: the turns' spans say it better
      }
    }
  }

  /** A frame of an answer asked for a transfer or DTMF. */
  void actions(int responseId, JsonObject frame) {
    if (frame.getValue("transfer_number") instanceof String number) {
      event("transfer", new JsonObject().put("number", number).put("responseId", responseId));
    }
    if (frame.getValue("digit_to_press") instanceof String digits) {
      event("dtmf", new JsonObject().put("digits", digits).put("responseId", responseId));
    }
  }

  /** The session is over: a turn still open ended with the call. */
  void close(boolean callEnded) {
    leave(current, callEnded ? "ended" : "moved");
    tracing.end();
  }

  private void event(String type, JsonObject data) {
    long at = System.currentTimeMillis();
    tracing.event(type, at);
    pool.preparedQuery("INSERT INTO call_events (call_id, type, data, created_at) "
            + "VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(callId, type, data, time(at)))
        .onFailure(e -> LOG.warn("could not record {} on the timeline of call {}: {}", type,
            callId, e.getMessage()));
  }

  private void write(TurnSpans turn) {
    TurnMetrics.turn(turn);
    tracing.turn(turn);
    timings.add(new TimingWriter.Timing(callId, turn.responseId, turn.mode, turn.outcome(),
        turn.receivedAtMillis, turn.engineMs(), turn.webhookMs(), turn.spans().encode()));
  }

  private static OffsetDateTime time(long epochMillis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }
}

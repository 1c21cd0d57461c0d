package dev.agentphone.calls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one voice turn's time went, measured in memory on the session's event loop
 * ({@link System#nanoTime} after the frame came in) and stored only after the answer went out.
 * The spans are {@code frame_received}, {@code webhook_sent}, {@code webhook_first_byte},
 * {@code webhook_last_byte}, {@code first_frame_out}, {@code complete} and {@code stored}; a turn
 * that asks the webhook more than once (after a tool ran) keeps the first send and first byte and
 * the last byte of the last answer.
 *
 * <p>{@code engineMs} is the time to the first frame out less the time a webhook request was
 * outstanding before it; {@code webhookMs} is the customer webhook's own time, request sent to
 * last byte, summed over the turn's requests.
 */
final class TurnSpans {
  static final String RECEIVED = "frame_received";
  static final String WEBHOOK_SENT = "webhook_sent";
  static final String FIRST_BYTE = "webhook_first_byte";
  static final String LAST_BYTE = "webhook_last_byte";
  static final String FIRST_FRAME = "first_frame_out";
  static final String COMPLETE = "complete";
  static final String STORED = "stored";

  final int responseId;
  final String mode;
  /** Wall clock of {@code frame_received}, epoch ms: where the stored offsets start. */
  final long receivedAtMillis;
  private final long start = System.nanoTime();
  private final Map<String, Long> marks = new LinkedHashMap<>();
  private long webhookNanos;
  private long webhookBeforeFirstFrame;
  private long webhookOpenedAt = -1;
  private boolean webhookAsked;
  private String outcome = "answered";
  private boolean closed;

  TurnSpans(int responseId, String mode) {
    this.responseId = responseId;
    this.mode = mode;
    this.receivedAtMillis = System.currentTimeMillis();
    marks.put(RECEIVED, 0L);
  }

  private long now() {
    return System.nanoTime() - start;
  }

  private void first(String name) {
    marks.putIfAbsent(name, now());
  }

  void webhookSent() {
    first(WEBHOOK_SENT);
    webhookAsked = true;
    webhookOpenedAt = now();
  }

  void webhookFirstByte() {
    first(FIRST_BYTE);
  }

  /** The webhook's answer is complete (last byte), or it was given up on. */
  void webhookDone(boolean answered) {
    if (webhookOpenedAt < 0) {
      return;
    }
    long at = now();
    webhookNanos += at - webhookOpenedAt;
    if (!marks.containsKey(FIRST_FRAME)) {
      webhookBeforeFirstFrame += at - webhookOpenedAt;
    }
    webhookOpenedAt = -1;
    if (answered) {
      marks.put(LAST_BYTE, at);
    }
  }

  /** A frame of the answer went out; {@code complete} when it was the last one. */
  void frameOut(boolean complete) {
    if (!marks.containsKey(FIRST_FRAME)) {
      long at = now();
      if (webhookOpenedAt >= 0) {
        // an interim line of a webhook still answering: its wait so far was the webhook's
        webhookBeforeFirstFrame += at - webhookOpenedAt;
      }
      marks.put(FIRST_FRAME, at);
    }
    if (complete) {
      first(COMPLETE);
    }
  }

  void stored() {
    first(STORED);
  }

  void outcome(String value) {
    outcome = value;
  }

  String outcome() {
    return outcome;
  }

  /** True the first time only: a turn is written once. */
  boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    if (webhookOpenedAt >= 0) {
      webhookDone(false);
    }
    return true;
  }

  boolean closed() {
    return closed;
  }

  /** Ms after {@code frame_received} of the named span, or null when it did not happen. */
  Double offsetMs(String name) {
    Long at = marks.get(name);
    return at == null ? null : at / 1e6;
  }

  Double engineMs() {
    Long firstFrame = marks.get(FIRST_FRAME);
    return firstFrame == null ? null : Math.max(0, firstFrame - webhookBeforeFirstFrame) / 1e6;
  }

  Double webhookMs() {
    return webhookAsked ? webhookNanos / 1e6 : null;
  }

  /** {@code [{name, offsetMs}]}, offsets from {@code frame_received}, in the order they happened. */
  JsonArray spans() {
    JsonArray out = new JsonArray();
    marks.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e ->
        out.add(new JsonObject().put("name", e.getKey()).put("offsetMs", e.getValue() / 1e6)));
    return out;
  }

  /** Nanoseconds after {@code frame_received} of each span, in order (for tracing). */
  Map<String, Long> marks() {
    return marks;
  }
}

package dev.agentphone.calls;

import io.vertx.core.Handler;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What one subscriber of a call (its SSE stream, its live socket) was sent and its connection has
 * not taken yet. A frame goes out at once while the connection keeps up and waits behind a full
 * one; a queue past {@link #MAX} frames drops the client, so the call never waits for a
 * subscriber (it resumes from its last event id). Used on the subscriber's event loop only.
 */
final class ClientBacklog {
  static final int MAX = 1_000;

  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final BooleanSupplier writeQueueFull;
  private final Consumer<String> send;
  private final Consumer<Handler<Void>> drainHandler;
  private final BooleanSupplier gone;
  private final Runnable end;
  private final Runnable drop;
  private boolean ending;
  /** Writes a fan-out's shared bytes (false: it could not); null: texts only. */
  private Predicate<SharedFrame> sendShared;

  /**
   * The subscriber's connection: whether its write queue is full, sending a frame, its drain
   * handler, whether the client is {@code gone} (nothing more can be sent), ending it normally
   * (if still open), and dropping a client that cannot keep up.
   */
  ClientBacklog(BooleanSupplier writeQueueFull, Consumer<String> send,
      Consumer<Handler<Void>> drainHandler, BooleanSupplier gone, Runnable end, Runnable drop) {
    this.writeQueueFull = writeQueueFull;
    this.send = send;
    this.drainHandler = drainHandler;
    this.gone = gone;
    this.end = end;
    this.drop = drop;
  }

  /** Sends or queues {@code text}; false when the client was dropped for being too slow. */
  boolean write(String text) {
    return write(text, null);
  }

  /**
   * Like {@link #write(String)} for a fan-out's event: when it can go out at once, it goes as
   * {@code shared}, the bytes made once for all subscribers, if this connection takes them (see
   * {@link #shareWith}); else, and when it has to wait, as its text.
   */
  boolean write(String text, SharedFrame shared) {
    if (queue.isEmpty() && !writeQueueFull.getAsBoolean()) {
      if (shared == null || sendShared == null || !sendShared.test(shared)) {
        send.accept(text);
      }
      return true;
    }
    queue.add(text);
    if (queue.size() > MAX) {
      queue.clear();
      drop.run();
      return false;
    }
    drainHandler.accept(v -> drain());
    return true;
  }

  /** From now on a fan-out's events that go out at once go by {@code sender} when it can. */
  void shareWith(Predicate<SharedFrame> sender) {
    this.sendShared = sender;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Nothing more will be written: the connection ends once what is queued has been taken. */
  void endAfterDrain() {
    ending = true;
  }

  private void drain() {
    while (!queue.isEmpty() && !writeQueueFull.getAsBoolean() && !gone.getAsBoolean()) {
      send.accept(queue.poll());
    }
    if (queue.isEmpty() && ending) {
      end.run();
    }
  }
}

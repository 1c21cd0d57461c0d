package dev.agentphone.calls;

import io.vertx.core.Handler;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

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
   * Like {@link #write(String)}, but a frame that can go out at once goes by {@code sendNow}
   * when it can (a fan-out's bytes shared by all subscribers; false: it could not, and the text
   * goes the usual way). A frame that has to wait waits as its text.
   */
  boolean write(String text, BooleanSupplier sendNow) {
    if (queue.isEmpty() && !writeQueueFull.getAsBoolean()) {
      if (sendNow == null || !sendNow.getAsBoolean()) {
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

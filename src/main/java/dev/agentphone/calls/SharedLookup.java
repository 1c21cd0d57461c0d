package dev.agentphone.calls;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest read of one thing every live call of an agent on this node looks up (the agent, its
 * voice webhook), so that its calls share one background refresh per cache period instead of
 * each call reading it again: with 1,000 calls of one agent that was 400 bus requests and
 * statements a second. Each call still reads it itself when it starts (a changed agent is seen
 * by the next call at once); after that a call takes the newest read any call of the agent made,
 * and when that is stale one of them (the one that {@link #claim}s it) reads it again. The calls
 * run on different event loops: this holds only immutable snapshots, swapped atomically.
 */
final class SharedLookup<T> {
  /** A value and when it was read ({@link System#currentTimeMillis}). */
  record Read<T>(T value, long at) {
  }

  private final AtomicReference<Read<T>> latest = new AtomicReference<>();
  private final AtomicBoolean refreshing = new AtomicBoolean();

  /** The newest read so far, or null. */
  Read<T> latest() {
    return latest.get();
  }

  /** Keeps {@code value} read at {@code at} unless a newer read is there already. */
  void offer(T value, long at) {
    Read<T> read = new Read<>(value, at);
    latest.accumulateAndGet(read, (current, offered) -> current == null
        || offered.at() >= current.at() ? offered : current);
  }

  /** True for the one caller that reads it again now; it must {@link #release} afterwards. */
  boolean claim() {
    return refreshing.compareAndSet(false, true);
  }

  void release() {
    refreshing.set(false);
  }
}

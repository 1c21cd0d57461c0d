package dev.agentphone.messaging;

import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersApi.ActiveNumber;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;

/**
 * Where inbound messages to a phone number go ({@link NumbersApi#routeInbound}: the account,
 * number and agent that have it), kept on this node so that a burst makes no event-bus request
 * and no read per message. Read through on a miss; an unknown number is not kept, so one bought
 * since is found by its first message. An entry is dropped by every change to its number
 * announced on any node ({@link NumbersApi#onRouteChange}), and read again after
 * {@link #MAX_AGE_MILLIS} at the latest.
 *
 * <p>What this answers may be stale for a moment (a change on another node whose broadcast is
 * still under way, an agent deleted, which changes no number's announcement), so it is not what
 * a message is stored under: {@link GroupCommit} checks each message's route again inside the
 * transaction that writes it, and a message whose route no longer holds is routed again from
 * the database ({@link #stale}) before anything of it is written.
 *
 * <p>Used on the messaging verticle's event loop only.
 */
final class RouteCache {
  /** How long an entry is served without being read again, should a change's broadcast be lost. */
  static final long MAX_AGE_MILLIS = 30_000;

  private record Entry(Future<ActiveNumber> route, long loadedAt) {
  }

  private final NumbersApi numbers;
  private final Map<String, Entry> byPhone = new HashMap<>();

  RouteCache(NumbersApi numbers) {
    this.numbers = numbers;
  }

  /** The active number with this phone number, whichever account has it, or null. */
  Future<ActiveNumber> route(String phoneNumber) {
    Entry entry = byPhone.get(phoneNumber);
    long now = System.currentTimeMillis();
    if (entry != null && (!entry.route().isComplete() || now - entry.loadedAt() < MAX_AGE_MILLIS)) {
      return entry.route();
    }
    Future<ActiveNumber> route = numbers.routeInbound(phoneNumber);
    Entry loading = new Entry(route, now);
    byPhone.put(phoneNumber, loading);
    route.onComplete(done -> {
      if (done.failed() || done.result() == null) {
        byPhone.remove(phoneNumber, loading);
      }
    });
    return route;
  }

  /** Drops what is kept for this phone number: the next message reads its route again. */
  void forget(String phoneNumber) {
    byPhone.remove(phoneNumber);
  }

  /**
   * {@code used} no longer holds for this phone number: unless the entry was replaced since, it
   * is dropped, and the route is read again (shared by the messages that wait for it).
   */
  Future<ActiveNumber> stale(String phoneNumber, ActiveNumber used) {
    Entry entry = byPhone.get(phoneNumber);
    if (entry != null && entry.route().succeeded() && used.equals(entry.route().result())) {
      byPhone.remove(phoneNumber);
    }
    return route(phoneNumber);
  }
}

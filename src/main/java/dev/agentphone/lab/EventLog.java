package dev.agentphone.lab;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The webhook events one scenario's webhook servers received, in order of arrival. An
 * {@code expect: {webhook: …}} takes the first matching event not taken before, so two calls
 * each expecting {@code agent.call_ended} need two such events.
 */
final class EventLog {
  private final List<JsonObject> events = new ArrayList<>();
  private final List<Boolean> taken = new ArrayList<>();

  synchronized void add(JsonObject event) {
    events.add(event);
    taken.add(false);
    notifyAll();
  }

  /** Takes the first untaken event matching {@code match}, waiting up to {@code ms}; or null. */
  synchronized JsonObject take(Predicate<JsonObject> match, long ms) {
    long deadline = System.currentTimeMillis() + ms;
    while (true) {
      for (int i = 0; i < events.size(); i++) {
        if (!taken.get(i) && match.test(events.get(i))) {
          taken.set(i, true);
          return events.get(i);
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return null;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /** "event/channel" of every event so far, for a failure's "what happened". */
  synchronized List<String> summary() {
    return events.stream().map(e -> e.getString("event") + "/" + e.getString("channel")
        + (e.getJsonObject("data", new JsonObject()).getString("callId") == null ? ""
            : " " + e.getJsonObject("data").getString("callId"))).toList();
  }
}

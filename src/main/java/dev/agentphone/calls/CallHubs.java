package dev.agentphone.calls;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscribers of this node's calls (SSE transcript streams, live sockets), grouped by call,
 * by kind and by the event loop that serves them. Each group listens once to the call's bus
 * addresses and encodes each event once for all its subscribers: a thousand subscribers of one
 * call cost one bus delivery (and one copy of the event) and one encoding per event on each
 * event loop, not a thousand. One instance per engine.
 */
final class CallHubs {
  /** A subscriber of a call, used on the event loop it joined on. */
  interface Subscriber {
    /**
     * A bus event of the call and {@code frame}, its encoding for this kind (once for all), valid
     * only during the call: a subscriber that keeps it for later keeps its text.
     */
    void event(JsonObject event, SharedFrame frame);
  }

  /** What a kind of subscriber listens to, and how an event is written for it. */
  enum Kind {
    /** The live socket: stored turns and the live feed, each as its JSON frame. */
    LIVE(true) {
      @Override
      String text(JsonObject event) {
        return LiveSocket.clientFrame(event).encode();
      }
    },
    /** The SSE transcript stream: stored turns, each as its event (the end is its own). */
    TRANSCRIPT(false) {
      @Override
      String text(JsonObject event) {
        return TranscriptStream.turnEvent(event);
      }
    };

    private final boolean liveFeed;

    Kind(boolean liveFeed) {
      this.liveFeed = liveFeed;
    }

    abstract String text(JsonObject event);
  }

  private final Vertx vertx;
  private final Map<Key, Hub> hubs = new ConcurrentHashMap<>();

  private record Key(String callId, Kind kind, Context context) {
    /**
     * Keyed by the event loop's own context: each HTTP request runs on a context duplicated from
     * it, so keying by the caller's context would give every subscriber a group of its own (one
     * bus consumer and one encoding per subscriber and event, which is what the group avoids).
     */
    Key {
      if (context instanceof ContextInternal internal) {
        context = internal.unwrap();
      }
    }
  }

  CallHubs(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Adds {@code subscriber} to its call's group of {@code kind} on {@code context}, the event
   * loop that serves it (and the one it must {@link #leave} from); completes once the group's
   * subscriptions are in place, so that a replay read after it leaves no gap.
   */
  Future<Void> join(String callId, Kind kind, Context context, Subscriber subscriber) {
    Hub hub = hubs.computeIfAbsent(new Key(callId, kind, context), Hub::new);
    hub.subscribers.add(subscriber);
    return hub.ready;
  }

  /** Takes {@code subscriber} out of its group; the last one out ends its subscriptions. */
  void leave(String callId, Kind kind, Context context, Subscriber subscriber) {
    Key key = new Key(callId, kind, context);
    Hub hub = hubs.get(key);
    if (hub != null && hub.subscribers.remove(subscriber) && hub.subscribers.isEmpty()) {
      hubs.remove(key);
      hub.consumers.forEach(MessageConsumer::unregister);
    }
  }

  /** One call's subscribers of one kind on one event loop; used on that event loop only. */
  private final class Hub {
    final List<Subscriber> subscribers = new ArrayList<>();
    final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
    final Kind kind;
    final Future<Void> ready;

    Hub(Key key) {
      kind = key.kind();
      consumers.add(vertx.eventBus().consumer(TurnStore.address(key.callId()), m -> {
        fanOut(m.body());
        if (kind == Kind.TRANSCRIPT) {
          recordLag(m.headers().get(TurnStore.PUBLISHED_AT));
        }
      }));
      if (kind.liveFeed) {
        consumers.add(vertx.eventBus().consumer(LiveFeed.address(key.callId()),
            m -> fanOut(m.body())));
      }
      ready = Future.all(consumers.stream().map(MessageConsumer::completion).toList())
          .mapEmpty();
    }

    /** SSE lag: the turn's publication until this hub's last stream has been written it. */
    private void recordLag(String publishedAt) {
      if (publishedAt != null) {
        TurnMetrics.sseLag(System.currentTimeMillis() - Long.parseLong(publishedAt));
      }
    }

    private void fanOut(JsonObject event) {
      SharedFrame frame = new SharedFrame(kind.text(event));
      try {
        // a subscriber may leave while it is handed the event (the call ended): iterate a copy
        for (Subscriber subscriber : List.copyOf(subscribers)) {
          subscriber.event(event, frame);
        }
      } finally {
        frame.release();
      }
    }
  }
}

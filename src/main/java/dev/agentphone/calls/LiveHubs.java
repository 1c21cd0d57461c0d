package dev.agentphone.calls;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sockets of this node, grouped by call and by the event loop that serves them. Each
 * group listens once to the call's turns and live feed and encodes each frame once for all its
 * sockets: a thousand subscribers of one call cost one bus delivery and one encoding per frame
 * on each event loop, not a thousand. One instance per engine.
 */
final class LiveHubs {
  private final Vertx vertx;
  private final Map<Key, Hub> hubs = new ConcurrentHashMap<>();

  private record Key(String callId, Context context) {
  }

  LiveHubs(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Adds {@code socket} to its call's group on {@code context}, the event loop that serves it
   * (and the one it must {@link #leave} from); completes once the group's subscriptions are in
   * place, so that a replay read after it leaves no gap.
   */
  Future<Void> join(String callId, Context context, LiveSocket socket) {
    Hub hub = hubs.computeIfAbsent(new Key(callId, context), key -> new Hub(key));
    hub.sockets.add(socket);
    return hub.ready;
  }

  /** Takes {@code socket} out of its group; the last one out ends the group's subscriptions. */
  void leave(String callId, Context context, LiveSocket socket) {
    Key key = new Key(callId, context);
    Hub hub = hubs.get(key);
    if (hub != null && hub.sockets.remove(socket) && hub.sockets.isEmpty()) {
      hubs.remove(key);
      hub.turns.unregister();
      hub.feed.unregister();
    }
  }

  /** One call's sockets on one event loop; used on that event loop only. */
  private final class Hub {
    final List<LiveSocket> sockets = new ArrayList<>();
    final MessageConsumer<JsonObject> turns;
    final MessageConsumer<JsonObject> feed;
    final Future<Void> ready;

    Hub(Key key) {
      turns = vertx.eventBus().consumer(TurnStore.address(key.callId()), m -> fanOut(m.body()));
      feed = vertx.eventBus().consumer(LiveFeed.address(key.callId()), m -> fanOut(m.body()));
      ready = Future.all(turns.completion(), feed.completion()).mapEmpty();
    }

    private void fanOut(JsonObject event) {
      String text = LiveSocket.clientFrame(event).encode();
      // a socket may leave while it is handed the frame (the call ended): iterate a copy
      for (LiveSocket socket : List.copyOf(sockets)) {
        socket.event(event, text);
      }
    }
  }
}

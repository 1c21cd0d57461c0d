package dev.agentphone.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Lets the frames a long-lived stream (an SSE stream, a live call's WebSocket) is written within
 * one turn of its event loop leave in one system call instead of one each. Vert.x flushes every
 * write made outside a read; with a thousand subscribers of one call and five frames a caller
 * turn, those flushes were 5,000 writes per turn in the engine and as many reads in each client.
 * Netty's {@link FlushConsolidationHandler} defers a flush to a task queued behind what the event
 * loop already has to do, so frames that arrive together go out together, and one that arrives
 * alone waits only for the rest of the current task.
 */
public final class FlushCoalescing {
  private static final String NAME = "agentphone-flush-coalescing";
  /** Flushes deferred at most before one is made at once (Netty's default). */
  private static final int MAX_DEFERRED = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  private FlushCoalescing() {
  }

  /** Coalesces the flushes of {@code connection} from now on (once; later calls do nothing). */
  public static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(NAME) == null) {
        pipeline.addFirst(NAME, new FlushConsolidationHandler(MAX_DEFERRED, true));
      }
    }
  }
}

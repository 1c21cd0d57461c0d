package dev.agentphone.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets the frames a long-lived stream (an SSE stream, a live call's WebSocket) is written within
 * a short window leave in one system call instead of one each. Vert.x flushes every write made
 * outside a read; with a thousand subscribers of one call and five frames a caller turn, those
 * flushes were 5,000 writes per turn in the engine and as many reads in each client. A turn's
 * frames are published at different moments (the caller's words, the webhook asked, answered,
 * the agent speaking), so coalescing within one event-loop task was not enough: a flush here
 * waits up to {@link #DELAY_MICROS} µs for the frames that follow it, and a close flushes at once.
 *
 * <p>The streams of one event loop that wait share one timer ({@link Waiting}): a fan-out to a
 * thousand subscribers scheduled a thousand timers per frame, and keeping Netty's queue of
 * timers in order was 6 % of the event loop's samples.
 */
public final class FlushCoalescing extends ChannelDuplexHandler {
  private static final String NAME = "agentphone-flush-coalescing";
  /**
   * Long enough for a turn's frames that follow each other to share a write (it halved the live
   * sockets' writes at 1,000 subscribers), short beside the turn itself.
   */
  private static final long DELAY_MICROS = 2_000;
  private static final FastThreadLocal<Waiting> WAITING = new FastThreadLocal<>() {
    @Override
    protected Waiting initialValue() {
      return new Waiting();
    }
  };

  private boolean scheduled;
  /** This handler's place in its connection's pipeline (one handler per connection). */
  private ChannelHandlerContext ctx;

  private FlushCoalescing() {
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Coalesces the flushes of {@code connection} from now on (once; later calls do nothing). */
  public static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(NAME) == null) {
        pipeline.addFirst(NAME, new FlushCoalescing());
      }
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (!scheduled) {
      scheduled = true;
      WAITING.get().add(this);
    }
  }

  private void flushNow() {
    if (scheduled) {
      scheduled = false;
      ctx.flush();
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    flushNow();
    super.close(ctx, promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    flushNow();
    super.disconnect(ctx, promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    // a full outbound buffer must drain now, not after the window
    if (!ctx.channel().isWritable()) {
      flushNow();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    flushNow();
  }

  /**
   * The streams of one event loop waiting to flush, in the order they first asked, and the one
   * timer that flushes them all; used on its event loop only.
   */
  private static final class Waiting {
    private List<FlushCoalescing> handlers = new ArrayList<>();

    void add(FlushCoalescing handler) {
      if (handlers.isEmpty()) {
        handler.ctx.executor().schedule(this::flushAll, DELAY_MICROS, TimeUnit.MICROSECONDS);
      }
      handlers.add(handler);
    }

    private void flushAll() {
      List<FlushCoalescing> due = handlers;
      // a flush may write more and ask again: that goes to the next window
      handlers = new ArrayList<>();
      for (FlushCoalescing handler : due) {
        // one already flushed (closed, full, removed) is no longer scheduled: nothing to do
        handler.flushNow();
      }
    }
  }
}

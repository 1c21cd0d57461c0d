package dev.agentphone.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.concurrent.TimeUnit;

/**
 * Lets the frames a long-lived stream (an SSE stream, a live call's WebSocket) is written within
 * a short window leave in one system call instead of one each. Vert.x flushes every write made
 * outside a read; with a thousand subscribers of one call and five frames a caller turn, those
 * flushes were 5,000 writes per turn in the engine and as many reads in each client. A turn's
 * frames are published at different moments (the caller's words, the webhook asked, answered,
 * the agent speaking), so coalescing within one event-loop task was not enough: a flush here
 * waits {@link #DELAY_MICROS} µs for the frames that follow it, and a close flushes at once.
 */
public final class FlushCoalescing extends ChannelDuplexHandler {
  private static final String NAME = "agentphone-flush-coalescing";
  /**
   * Long enough for a turn's frames that follow each other to share a write (it halved the live
   * sockets' writes at 1,000 subscribers), short beside the turn itself.
   */
  private static final long DELAY_MICROS = 2_000;

  private final long delayMicros;
  private boolean scheduled;

  private FlushCoalescing(long delayMicros) {
    this.delayMicros = delayMicros;
  }

  /** Coalesces the flushes of {@code connection} from now on (once; later calls do nothing). */
  public static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(NAME) == null) {
        pipeline.addFirst(NAME, new FlushCoalescing(DELAY_MICROS));
      }
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (!scheduled) {
      scheduled = true;
      ctx.executor().schedule(() -> flushNow(ctx), delayMicros, TimeUnit.MICROSECONDS);
    }
  }

  private void flushNow(ChannelHandlerContext ctx) {
    if (scheduled) {
      scheduled = false;
      ctx.flush();
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    flushNow(ctx);
    super.close(ctx, promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    flushNow(ctx);
    super.disconnect(ctx, promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    // a full outbound buffer must drain now, not after the window
    if (!ctx.channel().isWritable()) {
      flushNow(ctx);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    flushNow(ctx);
  }
}

package dev.agentphone.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Writes a Netty message (a WebSocket frame, a chunk of an HTTP/1.x response) straight into a
 * connection's pipeline, from the connection's own event loop, past Vert.x's outbound queue: no
 * promise, no queued task and no copy of the bytes per write, which a fan-out of one event to a
 * thousand connections otherwise pays a thousand times.
 * The message still passes every handler of the pipeline (the WebSocket and HTTP encoders,
 * compression when negotiated, {@link FlushCoalescing}), and the connection's write queue still
 * fills up and drains as Vert.x sees it, so a caller that checks {@code writeQueueFull()} first
 * keeps its order and its back-pressure.
 */
public final class DirectWrites {
  /** Netty's name for a WebSocket connection's frame encoder. */
  private static final String WEBSOCKET_ENCODER = "wsencoder";

  private final Channel channel;
  /** Where bytes that are already frames enter the pipeline; resolved on first use. */
  private ChannelHandlerContext framed;

  private DirectWrites(Channel channel) {
    this.channel = channel;
  }

  /**
   * The direct writes of {@code request}'s HTTP/1.x connection (or the WebSocket it became);
   * null for HTTP/2, whose streams share a connection and are framed by its codec.
   */
  public static DirectWrites of(HttpServerRequest request) {
    return request.version() != HttpVersion.HTTP_2
        && request.connection() instanceof ConnectionBase base
        ? new DirectWrites(base.channel()) : null;
  }

  /**
   * Writes {@code message} (whose reference this takes) and asks for a flush; false, with the
   * message released, when the caller is not on the connection's event loop or the connection
   * is gone, so that it can write the usual way instead.
   */
  public boolean write(Object message) {
    if (!writable(message)) {
      return false;
    }
    channel.writeAndFlush(message, channel.voidPromise());
    return true;
  }

  /**
   * Like {@link #write}, for {@code frame}: the bytes of whole WebSocket frames, which need no
   * encoding. They enter the pipeline at its frame encoder, so they pass only what lies between
   * it and the socket (TLS when it is on, {@link FlushCoalescing}), not the handlers behind it
   * that had nothing to do with them and took a sixth of a fan-out's event-loop samples to pass.
   */
  public boolean writeWebSocketFrame(ByteBuf frame) {
    if (framed == null || framed.isRemoved()) {
      framed = channel.pipeline().context(WEBSOCKET_ENCODER);
    }
    if (framed == null) {
      return write(frame);
    }
    if (!writable(frame)) {
      return false;
    }
    framed.writeAndFlush(frame, framed.voidPromise());
    return true;
  }

  /** Whether this thread may write to the connection now; when not, releases {@code message}. */
  private boolean writable(Object message) {
    if (channel.eventLoop().inEventLoop() && channel.isActive()) {
      return true;
    }
    ReferenceCountUtil.release(message);
    return false;
  }
}

package dev.agentphone.http;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Writes a Netty message (a WebSocket frame, a chunk of an HTTP/1.x response) straight into a
 * connection's pipeline, from the connection's own event loop, past Vert.x's outbound queue: no
 * promise, no queued task and no copy of the bytes per write. A fan-out of one event to a
 * thousand connections spent a third of its event-loop time in that per-write bookkeeping.
 * The message still passes every handler of the pipeline (the WebSocket and HTTP encoders,
 * compression when negotiated, {@link FlushCoalescing}), and the connection's write queue still
 * fills up and drains as Vert.x sees it, so a caller that checks {@code writeQueueFull()} first
 * keeps its order and its back-pressure.
 */
public final class DirectWrites {
  private final Channel channel;

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
    if (!channel.eventLoop().inEventLoop() || !channel.isActive()) {
      ReferenceCountUtil.release(message);
      return false;
    }
    channel.writeAndFlush(message, channel.voidPromise());
    return true;
  }
}

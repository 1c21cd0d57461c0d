package dev.agentphone.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Writes bytes that are already encoded (whole WebSocket frames, whole chunks of an HTTP/1.x
 * response) straight into a connection's pipeline at its encoder, from the connection's own event
 * loop, past Vert.x's outbound queue: no promise, no queued task, no copy and no encoding per
 * write, which a fan-out of one event to a thousand connections otherwise pays a thousand times.
 * They still pass what lies between the encoder and the socket (TLS when it is on,
 * {@link FlushCoalescing}), and the connection's write queue still fills up and drains as Vert.x
 * sees it, so a caller that checks {@code writeQueueFull()} first keeps its order and its
 * back-pressure.
 */
public final class DirectWrites {
  /** Netty's name for a WebSocket connection's frame encoder. */
  private static final String WEBSOCKET_ENCODER = "wsencoder";
  /** Vert.x's name for an HTTP/1.x connection's response encoder. */
  private static final String HTTP_ENCODER = "httpEncoder";

  private final Channel channel;
  /** Where bytes that are already encoded enter the pipeline; resolved on first use. */
  private ChannelHandlerContext encoded;

  private DirectWrites(Channel channel) {
    this.channel = channel;
  }

  /**
   * The direct writes of {@code request}'s HTTP/1.1 connection (or the WebSocket it became);
   * null for HTTP/2, whose streams share a connection and are framed by its codec, and for
   * HTTP/1.0, which has no chunks.
   */
  public static DirectWrites of(HttpServerRequest request) {
    return request.version() == HttpVersion.HTTP_1_1
        && request.connection() instanceof ConnectionBase base
        ? new DirectWrites(base.channel()) : null;
  }

  /**
   * Writes {@code frame}, the bytes of whole WebSocket frames, which need no encoding, and asks for
   * a flush; false, with the frame released, when the caller is not on the connection's event
   * loop or the connection is gone, so that it can write the usual way instead. They enter the
   * pipeline at its frame encoder, so they pass only what lies between it and the socket (TLS
   * when it is on, {@link FlushCoalescing}), not the handlers behind it that had nothing to do
   * with them and took a sixth of a fan-out's event-loop samples to pass.
   */
  public boolean writeWebSocketFrame(ByteBuf frame) {
    return writeEncoded(frame, WEBSOCKET_ENCODER);
  }

  /**
   * Like {@link #writeWebSocketFrame}, for {@code chunk}: the bytes of whole HTTP/1.1 chunks of a
   * chunked response whose headers went out already and that is not compressed. They enter at
   * the HTTP encoder, whose state (within the chunks) they leave as it was; the response's end
   * still goes through it.
   */
  public boolean writeHttpChunk(ByteBuf chunk) {
    return writeEncoded(chunk, HTTP_ENCODER);
  }

  private boolean writeEncoded(ByteBuf bytes, String encoder) {
    if (!writable(bytes)) {
      return false;
    }
    if (encoded == null || encoded.isRemoved() || !encoded.name().equals(encoder)) {
      encoded = channel.pipeline().context(encoder);
    }
    if (encoded == null) {
      ReferenceCountUtil.release(bytes);
      return false;
    }
    encoded.writeAndFlush(bytes, encoded.voidPromise());
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

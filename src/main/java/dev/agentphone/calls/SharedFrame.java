package dev.agentphone.calls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * One event of a call as its subscribers of one kind are sent it: its text, and its whole HTTP
 * chunk (or its whole WebSocket frame) made once, in a direct buffer, for every subscriber whose
 * connection takes them at once. A thousand subscribers cost one encoding and no copy per
 * subscriber. The group that made it
 * {@link #release}s it after the fan-out; a subscriber that keeps the event for later (its
 * connection is full) keeps the text.
 */
final class SharedFrame {
  /**
   * The longest text sent as one WebSocket frame made here: what a 16-bit length holds, within
   * the default frame size limit of the server and its clients (Vert.x's 65,536 bytes). A longer
   * one goes the usual way, which sends it in parts.
   */
  static final int MAX_WEBSOCKET_FRAME = 0xFFFF;

  private static final int CRLF = ('\r' << 8) | '\n';

  private final String text;
  private ByteBuf httpChunk;
  private ByteBuf webSocketFrame;
  private boolean tooLong;

  SharedFrame(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  /**
   * The text as one whole HTTP/1.1 chunk (its size line, the bytes, the line end), as a view of
   * its own; null for an empty text, whose chunk would end the response. Written as bytes, it
   * passes the connection's HTTP encoder untouched: no size line and no three buffers per
   * connection. Only for a chunked response that is not compressed.
   */
  ByteBuf retainedHttpChunk() {
    if (httpChunk == null) {
      int length = ByteBufUtil.utf8Bytes(text);
      if (length == 0) {
        return null;
      }
      String size = Integer.toHexString(length);
      ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(size.length() + length + 4);
      chunk.writeCharSequence(size, StandardCharsets.US_ASCII);
      chunk.writeShort(CRLF);
      ByteBufUtil.writeUtf8(chunk, text);
      chunk.writeShort(CRLF);
      httpChunk = chunk;
    }
    return httpChunk.duplicate().retain();
  }

  /**
   * The text as one whole, unmasked WebSocket text frame, header and payload (what a server
   * sends), as a view of its own; null when it is too long for one frame. Written as bytes, it
   * passes the connection's frame encoder untouched: no header buffer and no copy of the payload
   * per socket. With permessage-deflate negotiated it goes uncompressed, which the extension
   * allows for any message (its RSV1 bit is clear).
   */
  ByteBuf retainedWebSocketFrame() {
    if (tooLong) {
      return null;
    }
    if (webSocketFrame == null) {
      int length = ByteBufUtil.utf8Bytes(text);
      if (length > MAX_WEBSOCKET_FRAME) {
        tooLong = true;
        return null;
      }
      ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(length + 4);
      frame.writeByte(0x81); // FIN, text
      if (length <= 125) {
        frame.writeByte(length);
      } else {
        frame.writeByte(126);
        frame.writeShort(length);
      }
      ByteBufUtil.writeUtf8(frame, text);
      webSocketFrame = frame;
    }
    // a plain duplicate sharing the frame's count: a pooled retained duplicate is taken from
    // and given back to a recycler, and that was a tenth of the fan-out's event-loop samples
    return webSocketFrame.duplicate().retain();
  }

  void release() {
    if (httpChunk != null) {
      httpChunk.release();
      httpChunk = null;
    }
    if (webSocketFrame != null) {
      webSocketFrame.release();
      webSocketFrame = null;
    }
  }
}

package dev.agentphone.calls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * One event of a call as its subscribers of one kind are sent it: its text, and its UTF-8 bytes
 * made once, in a direct buffer, for every subscriber whose connection takes them at once. A
 * thousand subscribers cost one encoding and no copy per subscriber. The group that made it
 * {@link #release}s it after the fan-out; a subscriber that keeps the event for later (its
 * connection is full) keeps the text.
 */
final class SharedFrame {
  private final String text;
  private ByteBuf bytes;

  SharedFrame(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  /** A view of the bytes of its own (released by whoever writes it), sharing their memory. */
  ByteBuf retainedBytes() {
    if (bytes == null) {
      bytes = ByteBufUtil.writeUtf8(PooledByteBufAllocator.DEFAULT, text);
    }
    return bytes.retainedDuplicate();
  }

  void release() {
    if (bytes != null) {
      bytes.release();
      bytes = null;
    }
  }
}

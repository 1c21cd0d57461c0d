package dev.agentphone.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.nio.charset.StandardCharsets;

/**
 * Where a customer's response body streams to: the first {@code limit} bytes are kept for the
 * delivery log, the rest is read and dropped, so a huge answer costs no memory.
 */
final class BoundedBody implements WriteStream<Buffer> {
  private final int limit;
  private final Buffer kept = Buffer.buffer();

  BoundedBody(int limit) {
    this.limit = limit;
  }

  /**
   * The kept bytes as text the delivery log can store, or null when the body was empty.
   *
   * <p>This is the one place where the engine alters text instead of refusing it: the body is
   * our record of someone else's bytes, and it cannot be sent back. PostgreSQL's {@code text}
   * refuses NUL, and a statement that fails here used to leave the delivery pending, to be sent
   * again and again. So invalid UTF-8 (a sequence cut at the limit included) and NUL each
   * become U+FFFD, the Unicode replacement character, in place.
   */
  String text() {
    if (kept.length() == 0) {
      return null;
    }
    // String's UTF-8 decoding already replaces every malformed sequence with U+FFFD
    return new String(kept.getBytes(), StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
  }

  @Override
  public Future<Void> write(Buffer data) {
    int room = limit - kept.length();
    if (room > 0) {
      kept.appendBuffer(data.length() <= room ? data : data.getBuffer(0, room));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}

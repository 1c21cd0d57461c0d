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

  /** The kept bytes as text, or null when the body was empty. */
  String text() {
    return kept.length() == 0 ? null : new String(kept.getBytes(), StandardCharsets.UTF_8);
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

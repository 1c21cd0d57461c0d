package dev.agentphone.platform;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes a request or answer between the HTTP edge and a domain verticle on the same node as the
 * very same object. The built-in JSON codecs deep-copy every {@code JsonObject} on local delivery,
 * twice per request (payload and answer); {@link Bus} requests only ever reach node-local
 * consumers, and by convention a sender never touches a payload or answer after handing it over,
 * so the copy buys nothing. It cannot cross the cluster: {@link Bus} never sends it there.
 */
final class HandOffCodec implements MessageCodec<Object, Object> {
  static final String NAME = "agentphone.hand-off";

  /** Registers the codec on this Vert.x once; engines sharing a Vert.x share it. */
  static void register(EventBus bus) {
    try {
      bus.registerCodec(new HandOffCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another engine on this Vert.x registered it first
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Object value) {
    throw new UnsupportedOperationException("node-local hand-off only");
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("node-local hand-off only");
  }

  @Override
  public Object transform(Object value) {
    return value;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}

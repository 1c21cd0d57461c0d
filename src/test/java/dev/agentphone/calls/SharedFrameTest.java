package dev.agentphone.calls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fan-out's shared WebSocket frame, read back by Netty's own client-side decoder: every length
 * a 7-bit or 16-bit header holds is one whole text frame with the text as sent; a longer text
 * has no shared frame (it goes the usual way, in parts).
 */
class SharedFrameTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535})
  void aTextIsOneWholeFrameOfItsOwnLength(int length) {
    // length bytes, with a two-byte character, so that bytes and chars differ
    String text = length < 2 ? "x".repeat(length) : "é" + "x".repeat(length - 2);
    SharedFrame shared = new SharedFrame(text);
    ByteBuf frame = shared.retainedWebSocketFrame();
    assertThat(frame).isNotNull();
    // a client's decoder: server frames come unmasked
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false,
        70_000));
    client.writeInbound(frame);
    TextWebSocketFrame read = client.readInbound();
    assertThat(read.isFinalFragment()).isTrue();
    assertThat(read.text()).isEqualTo(text);
    read.release();
    shared.release();
    assertThat(client.finishAndReleaseAll()).isFalse();
  }

  @Test
  void aTextLongerThanA16BitLengthHasNoSharedFrame() {
    SharedFrame shared = new SharedFrame("x".repeat(SharedFrame.MAX_WEBSOCKET_FRAME + 1));
    assertThat(shared.retainedWebSocketFrame()).isNull();
    assertThat(shared.retainedWebSocketFrame()).isNull();
    shared.release();
  }

  @Test
  void eachSubscriberGetsItsOwnViewOfTheSameBytes() {
    SharedFrame shared = new SharedFrame("{\"type\":\"interim\"}");
    ByteBuf first = shared.retainedWebSocketFrame();
    ByteBuf second = shared.retainedWebSocketFrame();
    // one socket taking its bytes does not move the other's
    first.skipBytes(first.readableBytes());
    assertThat(second.readableBytes()).isEqualTo(2 + "{\"type\":\"interim\"}".length());
    first.release();
    second.release();
    shared.release();
    assertThat(second.refCnt()).isZero();
  }
}

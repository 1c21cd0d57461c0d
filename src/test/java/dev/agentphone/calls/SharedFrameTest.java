package dev.agentphone.calls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fan-out's shared WebSocket frame and HTTP chunk, read back by Netty's own client-side
 * decoders: every length a 7-bit or 16-bit header holds is one whole text frame with the text as
 * sent, and a longer text has no shared frame (it goes the usual way, in parts); each chunk is
 * one chunk of the stream with the text as sent, and the stream still ends after them.
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

  @ParameterizedTest
  @ValueSource(ints = {1, 15, 16, 255, 4_096, 70_000})
  void aTextIsOneWholeChunkOfAChunkedResponse(int length) {
    String text = length < 2 ? "x".repeat(length) : "é" + "x".repeat(length - 2);
    SharedFrame first = new SharedFrame(text);
    SharedFrame second = new SharedFrame("data: next\n\n");
    EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder());
    client.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Type: "
        + "text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n", StandardCharsets.US_ASCII));
    client.writeInbound(first.retainedHttpChunk());
    client.writeInbound(second.retainedHttpChunk());
    // the end of the response, as the HTTP encoder writes it
    client.writeInbound(Unpooled.copiedBuffer("0\r\n\r\n", StandardCharsets.US_ASCII));
    first.release();
    second.release();

    assertThat((Object) client.readInbound()).isInstanceOf(HttpResponse.class);
    StringBuilder body = new StringBuilder();
    Object read;
    boolean ended = false;
    while ((read = client.readInbound()) != null) {
      HttpContent content = (HttpContent) read;
      body.append(content.content().toString(StandardCharsets.UTF_8));
      ended |= content instanceof LastHttpContent;
      content.release();
    }
    assertThat(body.toString()).isEqualTo(text + "data: next\n\n");
    assertThat(ended).isTrue();
    assertThat(client.finishAndReleaseAll()).isFalse();
  }

  @Test
  void anEmptyTextHasNoChunkForItWouldEndTheResponse() {
    SharedFrame shared = new SharedFrame("");
    assertThat(shared.retainedHttpChunk()).isNull();
    shared.release();
  }
}

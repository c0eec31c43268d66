package dev.nova.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One WebSocket text frame in and its echo out, on a session opened by a real upgrade through
 * Netty's WebSocketServerProtocolHandler in an {@code EmbeddedChannel}. With the agent, Nova's
 * advice on the frame codecs observes both frames. {@link BenchMain} pairs it with its bare twin.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NettyFrameBenchmark {
  EmbeddedChannel channel;
  byte[] frame;

  @Setup(Level.Trial)
  public void setUp() {
    channel =
        new EmbeddedChannel(
            new HttpServerCodec(),
            new HttpObjectAggregator(8192),
            new WebSocketServerProtocolHandler("/ws"),
            new SimpleChannelInboundHandler<TextWebSocketFrame>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                ctx.writeAndFlush(new TextWebSocketFrame(f.content().retain()));
              }
            });
    channel.writeInbound(
        Unpooled.copiedBuffer(
            "GET /ws HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            StandardCharsets.US_ASCII));
    drain();
    // a masked client frame, as a browser would send it
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
    client.writeOutbound(new TextWebSocketFrame("chat: hello everyone"));
    ByteBuf encoded = Unpooled.buffer();
    ByteBuf part;
    while ((part = client.readOutbound()) != null) {
      encoded.writeBytes(part);
      part.release();
    }
    frame = new byte[encoded.readableBytes()];
    encoded.readBytes(frame);
    encoded.release();
  }

  private int drain() {
    int n = 0;
    Object out;
    while ((out = channel.readOutbound()) != null) {
      if (out instanceof ByteBuf b) {
        n += b.readableBytes();
        b.release();
      }
    }
    return n;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
  }

  @Benchmark
  public int frameInAndEcho() {
    channel.writeInbound(Unpooled.wrappedBuffer(frame));
    return drain();
  }
}

package dev.nova.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
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
 * One HTTP/2 request on a stream of its own: a client's {@code Http2ConnectionHandler} in one
 * {@code EmbeddedChannel} sends the request headers, a server's {@code Http2FrameCodec} in another
 * answers with headers and a data frame, and the client reads them; bytes are handed between the
 * two. With the agent, Nova's advice on the server's decoder and encoder observes the stream (the
 * client's connection is looked at and left). {@link BenchMain} pairs it with its bare twin.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NettyHttp2Benchmark {
  EmbeddedChannel server;
  EmbeddedChannel client;
  Http2ConnectionHandler clientHandler;

  /** The server's handler: answers each request with 200 and a two-byte body. */
  static final class Answer extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame h && h.isEndStream()) {
        Http2FrameStream stream = h.stream();
        ctx.write(
            new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(stream));
        ctx.writeAndFlush(
            new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[] {'o', 'k'}), true)
                .stream(stream));
      }
      ReferenceCountUtil.release(msg);
    }
  }

  /** The client's end: counts the answers that end and drops them. */
  static final class Drop extends Http2FrameAdapter {
    int read;

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      if (endOfStream) {
        read++;
      }
      return data.readableBytes() + padding;
    }
  }

  Drop drop;

  @Setup(Level.Trial)
  public void setUp() {
    server = new EmbeddedChannel(Http2FrameCodecBuilder.forServer().build(), new Answer());
    drop = new Drop();
    clientHandler = new Http2ConnectionHandlerBuilder().server(false).frameListener(drop).build();
    client = new EmbeddedChannel(clientHandler);
    pump(); // the preface and both sides' settings
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  /** Hands each side's bytes to the other until both are quiet. */
  private void pump() {
    boolean moved = true;
    while (moved) {
      moved = false;
      ByteBuf b;
      while ((b = client.readOutbound()) != null) {
        server.writeInbound(b);
        moved = true;
      }
      while ((b = server.readOutbound()) != null) {
        client.writeInbound(b);
        moved = true;
      }
    }
  }

  @Benchmark
  public int request() {
    ChannelHandlerContext ctx = client.pipeline().context(clientHandler);
    int stream = clientHandler.connection().local().incrementAndGetNextStreamId();
    clientHandler
        .encoder()
        .writeHeaders(
            ctx,
            stream,
            new DefaultHttp2Headers().method("GET").path("/api/v1/streams/42").scheme("http"),
            0,
            true,
            ctx.newPromise());
    ctx.flush();
    pump();
    return drop.read;
  }
}

package hello;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A hello-world h2c server written the way Netty's own multiplex example ({@code
 * example.http2.helloworld.multiplex.server}) is: cleartext HTTP/2 by prior knowledge or by
 * upgrade ({@code CleartextHttp2ServerUpgradeHandler}), a frame codec and a multiplex handler with a
 * child channel per stream answering "Hello World"; a connection that stays on HTTP/1.1 gets the
 * same answer from {@link NettyHello.Hello}, installed as the example installs its HTTP/1 handler.
 * No Nova here. Prints its port when it listens.
 */
public final class NettyH2cHello {
  private static final byte[] CONTENT = "Hello World".getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) throws Exception {
    EventLoopGroup boss = new NioEventLoopGroup(1);
    EventLoopGroup workers = new NioEventLoopGroup();
    try {
      Channel ch =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                      HttpServerCodec http1 = new HttpServerCodec();
                      HttpServerUpgradeHandler.UpgradeCodecFactory upgrades =
                          protocol ->
                              AsciiString.contentEquals(
                                      Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                  ? new Http2ServerUpgradeCodec(h2(), new Http2MultiplexHandler(new Stream()))
                                  : null;
                      c.pipeline()
                          .addLast(
                              new CleartextHttp2ServerUpgradeHandler(
                                  http1,
                                  new HttpServerUpgradeHandler(http1, upgrades),
                                  new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel parent) {
                                      parent
                                          .pipeline()
                                          .addLast(h2(), new Http2MultiplexHandler(new Stream()));
                                    }
                                  }))
                          .addLast(new Http1());
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
      System.out.println("listening " + ((InetSocketAddress) ch.localAddress()).getPort());
      ch.closeFuture().sync();
    } finally {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
    }
  }

  private static Http2FrameCodec h2() {
    return Http2FrameCodecBuilder.forServer().build();
  }

  /** Reached only when no upgrade was asked for: the connection stays on HTTP/1.1. */
  static final class Http1 extends SimpleChannelInboundHandler<HttpMessage> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpMessage msg) {
      ctx.pipeline().replace(this, null, new NettyHello.Hello());
      ctx.pipeline().fireChannelRead(ReferenceCountUtil.retain(msg));
    }
  }

  /** One stream's child channel: answers its request's end with headers and "Hello World". */
  @ChannelHandler.Sharable
  static final class Stream extends SimpleChannelInboundHandler<Http2StreamFrame> {
    Stream() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
      boolean end = frame instanceof Http2HeadersFrame h ? h.isEndStream() : isEnd(frame);
      ReferenceCountUtil.release(frame);
      if (end) {
        ctx.write(
            new DefaultHttp2HeadersFrame(
                new DefaultHttp2Headers().status("200").set("content-type", "text/plain")));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(CONTENT), true));
      }
    }

    private static boolean isEnd(Http2StreamFrame frame) {
      return frame instanceof Http2DataFrame d && d.isEndStream();
    }
  }
}

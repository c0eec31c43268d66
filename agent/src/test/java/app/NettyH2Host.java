package app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.codec.http2.HttpToHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.InboundHttp2ToHttpAdapterBuilder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import java.io.FileInputStream;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * An HTTP/2 server the way Netty's own examples build one, in one of the pipeline shapes Netty
 * offers: {@code frame} ({@code Http2FrameCodec} and a handler of frames on the connection), {@code
 * multiplex} ({@code Http2FrameCodec} with {@code Http2MultiplexHandler}, a child channel per
 * stream), {@code codec} (the same with {@code Http2StreamFrameToHttpObjectCodec} and an HTTP
 * handler on each child, as Reactor Netty and Vert.x do) and {@code adapter} ({@code
 * Http2ConnectionHandler} with {@code InboundHttp2ToHttpAdapter}). One port speaks h2c by prior
 * knowledge and by upgrade ({@code CleartextHttp2ServerUpgradeHandler}), another h2 over TLS with
 * ALPN (the key store from {@code -Dkeystore}, password {@code changeit}). Routes: {@code /hello},
 * {@code /fail} (500), {@code /items/<n>}, {@code /slow} (answers after 3 s). Prints {@code
 * host-ready port=<clear> tls=<tls>}.
 */
public final class NettyH2Host {
  private NettyH2Host() {}

  public static void main(String[] args) throws Exception {
    String shape = args[0];
    EventLoopGroup group = new NioEventLoopGroup(2);
    SslContext ssl = ssl(System.getProperty("keystore"));
    Channel clear =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    HttpServerCodec source = new HttpServerCodec();
                    HttpServerUpgradeHandler upgrade =
                        new HttpServerUpgradeHandler(
                            source,
                            protocol ->
                                AsciiString.contentEquals(
                                        Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                    ? upgradeCodec(shape)
                                    : null);
                    ch.pipeline()
                        .addLast(
                            new CleartextHttp2ServerUpgradeHandler(
                                source, upgrade, initializer(shape)));
                    if (shape.equals("adapter")) {
                      // behind the connection handler either way it comes (upgrade or prior
                      // knowledge): Netty 4.1's upgrade codec takes a connection handler alone
                      ch.pipeline().addLast(new FullHttpHandler(true));
                    }
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    Channel tls =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(ssl.newHandler(ch.alloc()))
                        .addLast(
                            new ApplicationProtocolNegotiationHandler(
                                ApplicationProtocolNames.HTTP_1_1) {
                              @Override
                              protected void configurePipeline(
                                  ChannelHandlerContext ctx, String protocol) {
                                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                  ctx.pipeline().addLast(handlers(shape));
                                } else {
                                  ctx.pipeline()
                                      .addLast(
                                          new HttpServerCodec(),
                                          new HttpObjectAggregator(1 << 16),
                                          new FullHttpHandler(false));
                                }
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    System.out.println(
        "host-ready port="
            + ((java.net.InetSocketAddress) clear.localAddress()).getPort()
            + " tls="
            + ((java.net.InetSocketAddress) tls.localAddress()).getPort());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    group.shutdownGracefully();
  }

  static SslContext ssl(String keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    return SslContextBuilder.forServer(kmf)
        .sslProvider(SslProvider.JDK)
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_2,
                ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  /** The HTTP/2 handlers of one connection in this shape, the connection handler first. */
  static ChannelHandler[] handlers(String shape) {
    return switch (shape) {
      case "frame" ->
          new ChannelHandler[] {Http2FrameCodecBuilder.forServer().build(), new FrameHandler()};
      case "multiplex" ->
          new ChannelHandler[] {
            Http2FrameCodecBuilder.forServer().build(),
            new Http2MultiplexHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new FrameHandler());
                  }
                })
          };
      case "codec" ->
          new ChannelHandler[] {
            Http2FrameCodecBuilder.forServer().build(),
            new Http2MultiplexHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new Http2StreamFrameToHttpObjectCodec(true),
                            new HttpObjectAggregator(1 << 16),
                            new FullHttpHandler(false));
                  }
                })
          };
      case "adapter" -> {
        Http2Connection connection = new DefaultHttp2Connection(true);
        Http2ConnectionHandler handler =
            new HttpToHttp2ConnectionHandlerBuilder()
                .connection(connection)
                .frameListener(
                    new InboundHttp2ToHttpAdapterBuilder(connection)
                        .maxContentLength(1 << 16)
                        .propagateSettings(false)
                        .build())
                .build();
        yield new ChannelHandler[] {handler, new FullHttpHandler(true)};
      }
      default -> throw new IllegalArgumentException(shape);
    };
  }

  /** Puts the shape's HTTP/2 handlers where it stands (prior knowledge), then leaves. */
  static ChannelHandler initializer(String shape) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void handlerAdded(ChannelHandlerContext ctx) {
        ChannelHandler[] h = handlers(shape);
        if (shape.equals("adapter")) {
          h = new ChannelHandler[] {h[0]}; // its HTTP handler is in the pipeline already
        }
        String after = ctx.name();
        for (int i = 0; i < h.length; i++) { // in order: the multiplexer needs its codec there
          ctx.pipeline().addAfter(after, "h2-" + i, h[i]);
          after = "h2-" + i;
        }
        ctx.pipeline().remove(this);
      }
    };
  }

  static Http2ServerUpgradeCodec upgradeCodec(String shape) {
    ChannelHandler[] h = handlers(shape);
    if (shape.equals("adapter")) {
      return new Http2ServerUpgradeCodec((Http2ConnectionHandler) h[0]);
    }
    ChannelHandler[] rest = java.util.Arrays.copyOfRange(h, 1, h.length);
    return new Http2ServerUpgradeCodec((io.netty.handler.codec.http2.Http2FrameCodec) h[0], rest);
  }

  static HttpResponseStatus status(String path) {
    return path.startsWith("/fail")
        ? HttpResponseStatus.INTERNAL_SERVER_ERROR
        : HttpResponseStatus.OK;
  }

  static long delayMs(String path) {
    return path.startsWith("/slow") ? 3000 : 0;
  }

  /**
   * Frames in, frames out: on the connection with {@code Http2FrameCodec} alone (each frame names
   * its stream), or on a stream's child channel under {@code Http2MultiplexHandler}.
   */
  static final class FrameHandler extends ChannelDuplexHandler {
    private final Map<Object, String> paths = new HashMap<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame h) {
        CharSequence path = h.headers().path();
        paths.put(key(h.stream()), path == null ? "/" : path.toString());
        if (h.isEndStream()) {
          answer(ctx, h.stream());
        }
      } else if (msg instanceof Http2DataFrame d) {
        boolean end = d.isEndStream();
        Http2FrameStream stream = d.stream();
        d.release();
        if (end) {
          answer(ctx, stream);
        }
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    private static Object key(Http2FrameStream stream) {
      return stream == null ? "child" : stream.id();
    }

    private void answer(ChannelHandlerContext ctx, Http2FrameStream stream) {
      String path = paths.remove(key(stream));
      String p = path == null ? "/" : path;
      Runnable reply =
          () -> {
            ByteBuf body = Unpooled.copiedBuffer("hello " + p, CharsetUtil.UTF_8);
            DefaultHttp2HeadersFrame headers =
                new DefaultHttp2HeadersFrame(
                    new DefaultHttp2Headers().status(status(p).codeAsText()));
            DefaultHttp2DataFrame data = new DefaultHttp2DataFrame(body, true);
            if (stream != null) {
              headers.stream(stream);
              data.stream(stream);
            }
            ctx.write(headers);
            ctx.writeAndFlush(data);
          };
      long delay = delayMs(p);
      if (delay > 0) {
        ctx.executor().schedule(reply, delay, TimeUnit.MILLISECONDS);
      } else {
        reply.run();
      }
    }
  }

  /**
   * Whole HTTP requests in, whole responses out: under {@code Http2StreamFrameToHttpObjectCodec},
   * under {@code InboundHttp2ToHttpAdapter} ({@code streamIds}: the response names its stream in
   * the extension header), or plain HTTP/1.1 when ALPN picked it.
   */
  static final class FullHttpHandler extends ChannelInboundHandlerAdapter {
    private final boolean streamIds;

    FullHttpHandler(boolean streamIds) {
      this.streamIds = streamIds;
    }

    /**
     * h2c by upgrade under the adapter: the upgrade request is answered on stream 1 (as Netty's
     * example does).
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (streamIds && evt instanceof HttpServerUpgradeHandler.UpgradeEvent up) {
        reply(ctx, up.upgradeRequest().uri(), "1");
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof FullHttpRequest r)) {
        if (msg instanceof HttpRequest || msg instanceof LastHttpContent) {
          io.netty.util.ReferenceCountUtil.release(msg);
          return;
        }
        ctx.fireChannelRead(msg);
        return;
      }
      String path = r.uri();
      String stream = r.headers().get(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
      r.release();
      reply(ctx, path, stream);
    }

    private void reply(ChannelHandlerContext ctx, String path, String stream) {
      Runnable reply =
          () -> {
            FullHttpResponse resp =
                new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    status(path),
                    Unpooled.copiedBuffer("hello " + path, CharsetUtil.UTF_8));
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
            if (streamIds && stream != null) {
              resp.headers().set(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(), stream);
            }
            ctx.writeAndFlush(resp);
          };
      long delay = delayMs(path);
      if (delay > 0) {
        ctx.executor().schedule(reply, delay, TimeUnit.MILLISECONDS);
      } else {
        reply.run();
      }
    }
  }
}

package app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A plain Netty HTTP and WebSocket server, written against the API Netty 4.1 and 4.2 share, with no
 * knowledge of Nova. Routes: {@code /api/v1/streams/<n>} (200), {@code /fail} (500), {@code
 * /slow?ms=<n>} (200 after n ms, timed on the event loop), and WebSocket {@code
 * /api/v1/streams/<id>/ws?token=good}: 400 for a non-numeric id, 401 for another token, 404 for an
 * id over 1000. A text frame {@code bye} makes the server close with 1000; other text is echoed.
 */
public final class NettyHost {
  static final AttributeKey<WebSocketServerHandshaker> HANDSHAKER =
      AttributeKey.valueOf("host.handshaker");

  private NettyHost() {}

  // NioEventLoopGroup is deprecated in 4.2, but its replacement does not exist in 4.1, and this
  // host runs on both
  @SuppressWarnings("deprecation")
  public static void main(String[] args) throws Exception {
    NioEventLoopGroup boss = new NioEventLoopGroup(1);
    NioEventLoopGroup workers = new NioEventLoopGroup(2);
    Channel server =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(65_536))
                        .addLast(new Handler());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
    System.out.println("host-ready port=" + port + " netty=" + nettyVersion());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    server.close().sync();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  static String nettyVersion() {
    return io.netty.util.Version.identify().values().iterator().next().artifactVersion();
  }

  static final class Handler extends SimpleChannelInboundHandler<Object> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpRequest req) {
        http(ctx, req);
      } else if (msg instanceof WebSocketFrame frame) {
        frame(ctx, frame);
      }
    }

    private void http(ChannelHandlerContext ctx, FullHttpRequest req) {
      QueryStringDecoder q = new QueryStringDecoder(req.uri());
      String path = q.path();
      if (path.startsWith("/api/v1/streams/") && path.endsWith("/ws")) {
        String id = path.substring("/api/v1/streams/".length(), path.length() - 3);
        String token = q.parameters().getOrDefault("token", java.util.List.of("")).get(0);
        if (!id.matches("\\d+")) {
          respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad stream id");
        } else if (!token.equals("good")) {
          respond(ctx, req, HttpResponseStatus.UNAUTHORIZED, "bad token");
        } else if (Long.parseLong(id) > 1000) {
          respond(ctx, req, HttpResponseStatus.NOT_FOUND, "no such stream");
        } else {
          WebSocketServerHandshaker h =
              new WebSocketServerHandshakerFactory("ws://127.0.0.1" + path, null, false)
                  .newHandshaker(req);
          ctx.channel().attr(HANDSHAKER).set(h);
          h.handshake(ctx.channel(), req);
        }
      } else if (path.startsWith("/api/v1/streams/")) {
        respond(ctx, req, HttpResponseStatus.OK, "{\"stream\":\"" + path.substring(16) + "\"}");
      } else if (path.equals("/fail")) {
        respond(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "failed");
      } else if (path.equals("/slow")) {
        long ms = Long.parseLong(q.parameters().get("ms").get(0));
        req.retain();
        ctx.executor()
            .schedule(
                () -> {
                  respond(ctx, req, HttpResponseStatus.OK, "slow");
                  req.release();
                },
                ms,
                TimeUnit.MILLISECONDS);
      } else {
        respond(ctx, req, HttpResponseStatus.NOT_FOUND, "not found");
      }
    }

    private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
      WebSocketServerHandshaker h = ctx.channel().attr(HANDSHAKER).get();
      if (frame instanceof CloseWebSocketFrame) {
        h.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
      } else if (frame instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      } else if (frame instanceof TextWebSocketFrame t) {
        if (t.text().equals("bye")) {
          ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye"))
              .addListener(ChannelFutureListener.CLOSE);
        } else {
          ctx.writeAndFlush(new TextWebSocketFrame(t.text()));
        }
      }
    }

    private static void respond(
        ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
      FullHttpResponse res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
      res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      if (keepAlive) {
        res.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
        ctx.writeAndFlush(res);
      } else {
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}

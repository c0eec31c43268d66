package scale;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
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
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Netty's WebSocket example ({@code WebSocketServer}: the codec, the aggregator, compression, the
 * protocol handler on {@code /websocket} and a frame handler that answers each text frame in upper
 * case), beside a HikariCP pool on an in-memory H2 database from which {@code args[0]} connections
 * are borrowed at start and never given back: the leak the runbook's step 4 is about. No Nova here.
 * Prints its port when it listens.
 */
public final class NettyWsScale {
  static final String WEBSOCKET_PATH = "/websocket";

  /** Connections borrowed and never closed: kept reachable, as a leak in a cache or a map is. */
  static final List<Connection> LEAKED = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    int leaks = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
    config.setPoolName("orders");
    config.setMaximumPoolSize(leaks + 4);
    config.setMinimumIdle(0);
    HikariDataSource ds = new HikariDataSource(config);
    for (int i = 0; i < leaks; i++) {
      LEAKED.add(ds.getConnection());
    }
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
                      c.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(65536))
                          .addLast(new WebSocketServerCompressionHandler())
                          .addLast(new WebSocketServerProtocolHandler(WEBSOCKET_PATH, null, true))
                          .addLast(new IndexPage())
                          .addLast(new Frames());
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
      System.out.println(
          "leaked " + LEAKED.size() + ", listening " + ((InetSocketAddress) ch.localAddress()).getPort());
      ch.closeFuture().sync();
    } finally {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
      ds.close();
    }
  }

  /** What the example's index page handler does for every plain HTTP request: a small page. */
  static final class IndexPage extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final byte[] PAGE =
        "<html><body>WebSocket at /websocket</body></html>".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      FullHttpResponse res =
          new DefaultFullHttpResponse(
              req.protocolVersion(), HttpResponseStatus.OK, Unpooled.wrappedBuffer(PAGE));
      res.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, PAGE.length);
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The example's frame handler: each text frame answered in upper case. */
  static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame text) {
        ctx.channel().writeAndFlush(new TextWebSocketFrame(text.text().toUpperCase(Locale.US)));
      } else {
        throw new UnsupportedOperationException(frame.getClass().getName());
      }
    }
  }
}

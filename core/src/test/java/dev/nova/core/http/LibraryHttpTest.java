package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import dev.nova.core.Nova;
import dev.nova.core.http.netty.NovaNettyHandler;
import dev.nova.testing.Http;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Library mode: a real Netty server with NovaNettyHandler, a real JDK server context observed. */
class LibraryHttpTest {
  Nova nova;
  Http admin;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    nova = Nova.builder().option("port", "0").option("token", "t").start();
    admin = new Http(nova.address().orElseThrow().getPort());
  }

  @AfterEach
  void stop() {
    nova.close();
  }

  JsonNode signal(String area) {
    return admin.get("/debug/nova").json().get("signals").get(area);
  }

  static JsonNode route(JsonNode http, String route) {
    for (JsonNode r : http.get("routes")) {
      if (r.get("route").asText().equals(route)) {
        return r;
      }
    }
    return null;
  }

  static final class App extends SimpleChannelInboundHandler<Object> {
    WebSocketServerHandshaker handshaker;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpRequest req) {
        if (req.uri().endsWith("/ws")) {
          handshaker =
              new WebSocketServerHandshakerFactory("ws://x" + req.uri(), null, false)
                  .newHandshaker(req);
          handshaker.handshake(ctx.channel(), req);
          return;
        }
        HttpResponseStatus status =
            req.uri().startsWith("/fail") ? HttpResponseStatus.BAD_GATEWAY : HttpResponseStatus.OK;
        DefaultFullHttpResponse res =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(new byte[] {'o', 'k'}));
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
        ctx.writeAndFlush(res);
      } else if (msg instanceof CloseWebSocketFrame c) {
        handshaker.close(ctx.channel(), c.retain());
      } else if (msg instanceof WebSocketFrame) {
        ctx.writeAndFlush(new TextWebSocketFrame("echo"));
      }
    }
  }

  @Test
  @SuppressWarnings("deprecation") // NioEventLoopGroup: the group most Netty services still build
  void aNettyPipelineWithTheHandlerFeedsTheSameSignals() throws Exception {
    NioEventLoopGroup group = new NioEventLoopGroup(1);
    try {
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(NovaNettyHandler.of(nova))
                          .addLast(new HttpObjectAggregator(8192))
                          .addLast(new App());
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      for (int i = 0; i < 30; i++) {
        String path = i < 25 ? "/items/" + i : "/fail/" + i;
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("ok");
      }
      JsonNode http = signal("http");
      assertThat(route(http, "/items/{id}").get("requests").asLong()).isEqualTo(25);
      assertThat(route(http, "/fail/{id}").get("statuses").get("502").asLong()).isEqualTo(5);

      CompletableFuture<Integer> closed = new CompletableFuture<>();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + port + "/rooms/9/ws"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletableFuture<?> onClose(WebSocket w, int code, String reason) {
                      closed.complete(code);
                      return null;
                    }
                  })
              .join();
      ws.sendText("hello", true).join();
      waitFor(() -> signal("websocket").get("openSessions").asInt() == 1);
      assertThat(signal("websocket").get("openByRoute").get("/rooms/{id}/ws").asInt()).isEqualTo(1);
      ws.sendClose(4000, "bye").join();
      assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(4000);
      waitFor(() -> signal("websocket").get("openSessions").asInt() == 0);
      assertThat(admin.get("/debug/nova/metrics").body())
          .contains("websocket_disconnects_total{code=\"4000\",side=\"client\"} 1");
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void aJdkServerContextIsObservedButNovasOwnListenerIsNot() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    HttpContext ctx =
        server.createContext(
            "/orders",
            ex -> {
              ex.sendResponseHeaders(ex.getRequestURI().getPath().endsWith("/x") ? 503 : 200, -1);
              ex.close();
            });
    nova.http().observe(ctx);
    nova.http().observe(ctx); // once only
    server.start();
    try {
      for (String p : new String[] {"/orders/1", "/orders/2", "/orders/x"}) {
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + p))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }
      // the filter records once the handler has returned, which can be after the client has its
      // answer: wait for the third request to be counted before reading the counts
      waitFor(() -> signal("http") != null && signal("http").get("requests").asLong() == 3);
      JsonNode http = signal("http");
      assertThat(route(http, "/orders/{id}").get("requests").asLong()).isEqualTo(2);
      assertThat(route(http, "/orders/x").get("statuses").get("503").asLong()).isEqualTo(1);
      assertThat(route(http, "/debug/nova")).isNull();
      assertThat(http.get("requests").asLong()).isEqualTo(3);
    } finally {
      server.stop(0);
    }
  }

  static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!c.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
      Thread.sleep(20); // polling a condition the server sets on its own thread
    }
  }
}

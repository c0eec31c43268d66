package dev.nova.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

/**
 * The service's HTTP and WebSocket handler. Database work runs on the service's worker pool, never
 * on the event loop; answers go back through the channel. Every error is JSON with a message.
 */
final class Api extends SimpleChannelInboundHandler<Object> {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PREFIX = "/api/v1";
  private static final AttributeKey<WebSocketServerHandshaker> HANDSHAKER =
      AttributeKey.valueOf("streams.handshaker");
  private static final AttributeKey<Long> STREAM = AttributeKey.valueOf("streams.stream");
  private static final AttributeKey<String> VIEWER = AttributeKey.valueOf("streams.viewer");

  private final StreamingService service;

  Api(StreamingService service) {
    this.service = service;
  }

  /** An answer: status and JSON body. */
  record Answer(HttpResponseStatus status, Object body) {
    static Answer error(HttpResponseStatus s, String message) {
      return new Answer(s, Map.of("error", s.reasonPhrase(), "message", message));
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest req) {
      if (!req.decoderResult().isSuccess()) {
        send(ctx, req, Answer.error(HttpResponseStatus.BAD_REQUEST, "malformed request"));
        return;
      }
      http(ctx, req);
    } else if (msg instanceof WebSocketFrame f) {
      frame(ctx, f);
    }
  }

  private void http(ChannelHandlerContext ctx, FullHttpRequest req) {
    QueryStringDecoder q = new QueryStringDecoder(req.uri());
    String path = q.path();
    HttpMethod m = req.method();
    if (path.startsWith(PREFIX + "/streams/") && path.endsWith("/ws") && m == HttpMethod.GET) {
      upgrade(ctx, req, q, path);
      return;
    }
    Optional<Answer> fault = service.beforeRequest(path);
    if (fault.isPresent()) {
      send(ctx, req, fault.get());
      return;
    }
    if (path.equals("/health") && m == HttpMethod.GET) {
      async(ctx, req, service::health);
    } else if (path.equals(PREFIX + "/token") && m == HttpMethod.POST) {
      String token = service.tokens().issue("viewer-" + ctx.channel().id(), Duration.ofHours(1));
      send(ctx, req, new Answer(HttpResponseStatus.OK, Map.of("token", token, "expiresIn", 3600)));
    } else if (path.startsWith(PREFIX + "/streams")) {
      if (service.tokens().verify(bearer(req)) == null) {
        send(
            ctx,
            req,
            Answer.error(HttpResponseStatus.UNAUTHORIZED, "a valid Bearer token is required"));
        return;
      }
      streams(ctx, req, path.substring((PREFIX + "/streams").length()), m);
    } else if (path.equals("/rtmp/on_publish") && m == HttpMethod.POST) {
      Map<String, String> form = form(req);
      async(ctx, req, () -> service.onPublish(form));
    } else if (path.equals("/rtmp/on_publish_done") && m == HttpMethod.POST) {
      Map<String, String> form = form(req);
      async(ctx, req, () -> service.onPublishDone(form));
    } else if (path.startsWith("/admin/faults")) {
      // off the event loop: starting a fault may open connections to this very server
      Map<String, List<String>> params = q.parameters();
      async(ctx, req, () -> service.faultsAdmin(path, m.name(), params));
    } else {
      send(ctx, req, Answer.error(HttpResponseStatus.NOT_FOUND, "no route " + m + " " + path));
    }
  }

  private void streams(ChannelHandlerContext ctx, FullHttpRequest req, String rest, HttpMethod m) {
    if (rest.isEmpty() || rest.equals("/")) {
      if (m == HttpMethod.GET) {
        async(ctx, req, service::listStreams);
      } else if (m == HttpMethod.POST) {
        JsonNode body;
        try {
          body = JSON.readTree(req.content().toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
          send(ctx, req, Answer.error(HttpResponseStatus.BAD_REQUEST, "body is not JSON"));
          return;
        }
        if (body == null || !body.hasNonNull("title") || body.get("title").asText().isBlank()) {
          send(ctx, req, Answer.error(HttpResponseStatus.BAD_REQUEST, "title is required"));
          return;
        }
        String title = body.get("title").asText();
        String description = body.hasNonNull("description") ? body.get("description").asText() : "";
        if (title.length() > 200 || description.length() > 2000) {
          send(
              ctx,
              req,
              Answer.error(HttpResponseStatus.BAD_REQUEST, "title or description too long"));
          return;
        }
        async(ctx, req, () -> service.createStream(title, description));
      } else {
        send(ctx, req, Answer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or POST"));
      }
      return;
    }
    String id = rest.substring(1);
    if (!id.matches("\\d{1,18}")) {
      send(ctx, req, Answer.error(HttpResponseStatus.BAD_REQUEST, "stream id must be a number"));
      return;
    }
    long sid = Long.parseLong(id);
    if (m == HttpMethod.GET) {
      async(ctx, req, () -> service.getStream(sid));
    } else if (m == HttpMethod.DELETE) {
      async(ctx, req, () -> service.endStream(sid));
    } else {
      send(ctx, req, Answer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or DELETE"));
    }
  }

  /** Runbook 2.1: 400 for a bad id, 401 for a bad token, 404 for an unknown stream. */
  private void upgrade(
      ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, String path) {
    String id = path.substring((PREFIX + "/streams/").length(), path.length() - "/ws".length());
    if (!id.matches("\\d{1,18}")) {
      send(ctx, req, Answer.error(HttpResponseStatus.BAD_REQUEST, "stream id must be a number"));
      return;
    }
    List<String> t = q.parameters().get("token");
    String viewer = service.tokens().verify(t == null ? null : t.get(0));
    if (viewer == null) {
      send(ctx, req, Answer.error(HttpResponseStatus.UNAUTHORIZED, "invalid or expired token"));
      return;
    }
    long sid = Long.parseLong(id);
    req.retain();
    try {
      service
          .workers()
          .execute(
              () -> {
                boolean live;
                try {
                  live = service.isLive(sid);
                } catch (Exception e) {
                  ctx.executor()
                      .execute(
                          () -> {
                            send(
                                ctx,
                                req,
                                Answer.error(
                                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                                    "database unavailable"));
                            req.release();
                          });
                  return;
                }
                ctx.executor()
                    .execute(
                        () -> {
                          try {
                            if (!live) {
                              send(
                                  ctx,
                                  req,
                                  Answer.error(
                                      HttpResponseStatus.NOT_FOUND, "no live stream " + sid));
                              return;
                            }
                            WebSocketServerHandshaker h =
                                new WebSocketServerHandshakerFactory(
                                        "ws://" + req.headers().get(HttpHeaderNames.HOST) + path,
                                        null,
                                        false)
                                    .newHandshaker(req);
                            if (h == null) {
                              WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(
                                  ctx.channel());
                              return;
                            }
                            ctx.channel().attr(HANDSHAKER).set(h);
                            ctx.channel().attr(STREAM).set(sid);
                            ctx.channel().attr(VIEWER).set(viewer);
                            h.handshake(ctx.channel(), req)
                                .addListener(
                                    f -> {
                                      if (f.isSuccess()) {
                                        service.rooms().join(sid, ctx.channel());
                                      }
                                    });
                          } finally {
                            req.release();
                          }
                        });
              });
    } catch (RejectedExecutionException e) {
      req.release();
      send(ctx, req, Answer.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded"));
    }
  }

  private void frame(ChannelHandlerContext ctx, WebSocketFrame f) {
    WebSocketServerHandshaker h = ctx.channel().attr(HANDSHAKER).get();
    if (f instanceof CloseWebSocketFrame c) {
      h.close(ctx.channel(), c.retain());
      return;
    }
    if (f instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(f.content().retain()));
      return;
    }
    if (service.faults().dropWebSockets.on()) {
      ctx.channel().close(); // no close frame: the client sees 1006
      return;
    }
    if (f instanceof TextWebSocketFrame t) {
      Long sid = ctx.channel().attr(STREAM).get();
      String text = t.text();
      if (text.length() > 500) {
        ctx.writeAndFlush(new CloseWebSocketFrame(1009, "message too big"))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      service.rooms().chat(sid, ctx.channel().attr(VIEWER).get(), text);
    }
  }

  private void async(ChannelHandlerContext ctx, FullHttpRequest req, Callable<Answer> work) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    try {
      service
          .workers()
          .execute(
              () -> {
                Answer a;
                try {
                  a = work.call();
                } catch (Exception e) {
                  a =
                      Answer.error(
                          HttpResponseStatus.SERVICE_UNAVAILABLE,
                          "database unavailable: " + e.getClass().getSimpleName());
                }
                Answer answer = a;
                ctx.executor().execute(() -> write(ctx, keepAlive, answer));
              });
    } catch (RejectedExecutionException e) {
      write(ctx, keepAlive, Answer.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "overloaded"));
    }
  }

  static void send(ChannelHandlerContext ctx, FullHttpRequest req, Answer a) {
    write(ctx, HttpUtil.isKeepAlive(req), a);
  }

  static void write(ChannelHandlerContext ctx, boolean keepAlive, Answer a) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(a.body());
    } catch (Exception e) {
      body = "{\"error\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8);
    }
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, a.status(), Unpooled.wrappedBuffer(body));
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static String bearer(FullHttpRequest req) {
    String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    return h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : null;
  }

  private static Map<String, String> form(FullHttpRequest req) {
    QueryStringDecoder d =
        new QueryStringDecoder("/?" + req.content().toString(StandardCharsets.UTF_8));
    Map<String, String> out = new java.util.HashMap<>();
    d.parameters().forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }
}

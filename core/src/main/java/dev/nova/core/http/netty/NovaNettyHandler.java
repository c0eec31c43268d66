package dev.nova.core.http.netty;

import dev.nova.core.Nova;
import dev.nova.core.bridge.NettyBridge;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

/**
 * Nova for a Netty pipeline in library mode, in one line, right after the HTTP codec:
 *
 * <pre>{@code
 * p.addLast("codec", new HttpServerCodec());
 * p.addLast("nova", NovaNettyHandler.of(nova));
 * }</pre>
 *
 * <p>It sees requests, responses and, after an upgrade, WebSocket frames, and tells Nova; it never
 * changes, holds or delays a message, and never throws into the pipeline. One instance serves every
 * channel. Under the agent it is not needed (the agent observes the codec itself).
 */
@ChannelHandler.Sharable
public final class NovaNettyHandler extends ChannelDuplexHandler {
  private static final AttributeKey<Object> KEY = AttributeKey.valueOf(NettyBridge.KEY + ".lib");

  private final NettyBridge.Sink sink;

  private NovaNettyHandler(NettyBridge.Sink sink) {
    this.sink = sink;
  }

  public static NovaNettyHandler of(Nova nova) {
    return new NovaNettyHandler(nova.http().sink());
  }

  private Object conn(ChannelHandlerContext ctx) {
    Attribute<Object> a = ctx.channel().attr(KEY);
    Object c = a.get();
    if (c == null) {
      c = sink.connection(ctx.channel());
      a.set(c);
    }
    return c;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    try {
      long now = System.nanoTime();
      if (msg instanceof HttpRequest r) {
        sink.request(
            conn(ctx),
            r.method().name(),
            r.uri(),
            r.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                ? NettyBridge.WEBSOCKET
                : 0,
            now);
      }
      if (msg instanceof HttpContent c) {
        sink.requestBytes(conn(ctx), c.content().readableBytes());
      } else if (msg instanceof WebSocketFrame f) {
        sink.frame(conn(ctx), true, closeCode(f), now);
      }
    } catch (RuntimeException ignored) {
      // observation never changes what the host receives
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    try {
      if (msg instanceof HttpResponse r) {
        sink.responseStart(conn(ctx), r.status().code());
      }
      if (msg instanceof HttpContent c) {
        sink.responseBytes(conn(ctx), c.content().readableBytes());
      }
      if (msg instanceof LastHttpContent) {
        sink.responseEnd(conn(ctx), System.nanoTime());
      } else if (msg instanceof WebSocketFrame f) {
        sink.frame(conn(ctx), false, closeCode(f), System.nanoTime());
      }
    } catch (RuntimeException ignored) {
      // observation never changes what the host sends
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      if (ctx.channel().hasAttr(KEY)) {
        sink.inactive(ctx.channel().attr(KEY).get(), System.nanoTime());
      }
    } catch (RuntimeException ignored) {
      // as above
    }
    ctx.fireChannelInactive();
  }

  private static int closeCode(WebSocketFrame f) {
    if (f instanceof CloseWebSocketFrame c) {
      int code = c.statusCode();
      return code < 0 ? 1005 : code;
    }
    return -1;
  }
}

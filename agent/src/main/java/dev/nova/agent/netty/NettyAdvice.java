package dev.nova.agent.netty;

import dev.nova.core.bridge.NettyBridge;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into the host's own Netty classes (4.1 and 4.2 alike), so it links against the
 * host's Netty, never a copy of the agent's. It reads what passes and tells {@link NettyBridge}; it
 * never changes a message, never blocks, and every throwable is suppressed. These classes are never
 * loaded by the agent: Byte Buddy reads their bytes.
 */
final class NettyAdvice {
  private NettyAdvice() {}

  /** {@code HttpObjectDecoder.decode}: requests (and their bytes) as the server decodes them. */
  static final class RequestDecode {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.Argument(1) ByteBuf in, @Advice.Argument(2) List<Object> out) {
      return ((long) out.size() << 32) | (in.readableBytes() & 0xffffffffL);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object self,
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) ByteBuf in,
        @Advice.Argument(2) List<Object> out,
        @Advice.Enter long before) {
      if (!(self instanceof HttpRequestDecoder)) {
        return;
      }
      Channel ch = ctx.channel();
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      Attribute<Object> attr = ch.attr(key);
      Object conn = attr.get();
      if (conn == null) {
        conn = NettyBridge.connection(ch);
        if (conn == null) {
          return;
        }
        attr.set(conn);
      }
      long now = System.nanoTime();
      for (int i = (int) (before >>> 32); i < out.size(); i++) {
        Object m = out.get(i);
        if (m instanceof HttpRequest) {
          HttpRequest r = (HttpRequest) m;
          // one header lookup for the common request, which asks for no upgrade
          String upgrade = r.headers().get(HttpHeaderNames.UPGRADE);
          NettyBridge.request(
              conn,
              r.method().name(),
              r.uri(),
              upgrade == null
                  ? 0
                  : r.headers()
                          .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                      ? NettyBridge.WEBSOCKET
                      : r.headers().containsValue(HttpHeaderNames.UPGRADE, "h2c", true)
                          ? NettyBridge.H2C
                          : 0,
              now);
        }
      }
      long consumed = (before & 0xffffffffL) - in.readableBytes();
      if (consumed > 0) {
        NettyBridge.requestBytes(conn, consumed);
      }
    }
  }

  /** {@code HttpObjectEncoder.write}: status, body bytes and the end of each response. */
  static final class ResponseWrite {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object self,
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) Object msg) {
      if (!(self instanceof HttpResponseEncoder)) {
        return;
      }
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      Object conn = ctx.channel().attr(key).get();
      if (conn == null) {
        return;
      }
      if (msg instanceof HttpResponse) {
        NettyBridge.responseStart(conn, ((HttpResponse) msg).status().code());
      }
      if (msg instanceof HttpContent) {
        NettyBridge.responseBytes(conn, ((HttpContent) msg).content().readableBytes());
      }
      if (msg instanceof LastHttpContent) {
        NettyBridge.responseEnd(conn, System.nanoTime());
      }
    }
  }

  /** {@code WebSocket08FrameDecoder.decode} (13 and 07 extend it): frames in, close codes. */
  static final class FrameDecode {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.Argument(2) List<Object> out) {
      return out.size();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(2) List<Object> out,
        @Advice.Enter int before) {
      if (out.size() <= before) {
        return;
      }
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      Object conn = ctx.channel().attr(key).get();
      if (conn == null) {
        return;
      }
      long now = System.nanoTime();
      for (int i = before; i < out.size(); i++) {
        Object f = out.get(i);
        if (f instanceof CloseWebSocketFrame) {
          int code = ((CloseWebSocketFrame) f).statusCode();
          NettyBridge.frame(conn, true, code < 0 ? 1005 : code, now);
        } else if (f instanceof WebSocketFrame) {
          NettyBridge.frame(conn, true, -1, now);
        }
      }
    }
  }

  /** {@code WebSocket08FrameEncoder.encode}: frames out, the server's close code. */
  static final class FrameEncode {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) Object frame) {
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      Object conn = ctx.channel().attr(key).get();
      if (conn == null) {
        return;
      }
      int code = -1;
      if (frame instanceof CloseWebSocketFrame) {
        code = ((CloseWebSocketFrame) frame).statusCode();
        code = code < 0 ? 1005 : code;
      }
      NettyBridge.frame(conn, false, code, System.nanoTime());
    }
  }

  /** {@code DefaultChannelPipeline.fireChannelInactive}: the connection is gone. */
  static final class Inactive {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This ChannelPipeline pipeline) {
      Channel ch = pipeline.channel();
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      if (ch.hasAttr(key)) {
        NettyBridge.inactive(ch.attr(key).get(), System.nanoTime());
      }
    }
  }
}

package dev.nova.agent.netty;

import dev.nova.core.bridge.NettyBridge;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Netty's HTTP/2 connection classes (4.1 and 4.2): every server pipeline shape
 * Netty offers ({@code Http2FrameCodec} alone or with {@code Http2MultiplexHandler}, {@code
 * Http2ConnectionHandler} with {@code InboundHttp2ToHttpAdapter}, {@code
 * Http2StreamFrameToHttpObjectCodec} on child channels) reads its frames through {@code
 * DefaultHttp2ConnectionDecoder} and writes them through {@code DefaultHttp2ConnectionEncoder}, on
 * the connection's own channel. Each exchange is keyed by its stream, never by arrival order
 * (streams are multiplexed). Server side only; gRPC's requests ({@code content-type:
 * application/grpc}) are left to the gRPC hooks. Like {@link NettyAdvice}, never loaded by the
 * agent and every throwable suppressed.
 */
final class Http2Advice {
  private Http2Advice() {}

  /** {@code FrameReadListener.onHeadersRead} (the 8-argument one the other calls): a request. */
  static final class HeadersRead {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) int stream,
        @Advice.Argument(2) Http2Headers headers) {
      if (headers.method() == null
          || !(ctx.handler() instanceof Http2ConnectionHandler)
          || !((Http2ConnectionHandler) ctx.handler()).connection().isServer()) {
        return; // trailers, or a client's connection
      }
      CharSequence type = headers.get(HttpHeaderNames.CONTENT_TYPE);
      if (type != null && AsciiString.regionMatches(type, true, 0, "application/grpc", 0, 16)) {
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
      CharSequence path = headers.path();
      NettyBridge.streamRequest(
          conn,
          stream,
          headers.method().toString(),
          path == null ? "/" : path.toString(),
          System.nanoTime());
    }
  }

  /** {@code FrameReadListener.onDataRead}: the request's body bytes. */
  static final class DataRead {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) int stream,
        @Advice.Argument(2) ByteBuf data) {
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      Object conn = ctx.channel().attr(key).get();
      if (conn != null) {
        NettyBridge.streamRequestBytes(conn, stream, data.readableBytes());
      }
    }
  }

  /** {@code FrameReadListener.onRstStreamRead}: the client gave up on a stream. */
  static final class ResetRead {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) int stream) {
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      Object conn = ctx.channel().attr(key).get();
      if (conn != null) {
        NettyBridge.streamReset(conn, stream);
      }
    }
  }

  /** {@code DefaultHttp2ConnectionEncoder.writeHeaders0}: the status, and maybe the end. */
  static final class HeadersWrite {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) int stream,
        @Advice.Argument(2) Http2Headers headers,
        @Advice.Argument(8) boolean endOfStream) {
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
      CharSequence status = headers.status();
      if (status != null) {
        NettyBridge.streamResponse(
            conn,
            stream,
            status instanceof AsciiString
                ? ((AsciiString) status).parseInt()
                : Integer.parseInt(status.toString()));
      }
      if (endOfStream) {
        NettyBridge.streamEnd(conn, stream, System.nanoTime());
      }
    }
  }

  /** {@code DefaultHttp2ConnectionEncoder.writeData}: body bytes, and maybe the end. */
  static final class DataWrite {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) int stream,
        @Advice.Argument(2) ByteBuf data,
        @Advice.Argument(4) boolean endOfStream) {
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
      NettyBridge.streamResponseBytes(conn, stream, data.readableBytes());
      if (endOfStream) {
        NettyBridge.streamEnd(conn, stream, System.nanoTime());
      }
    }
  }

  /** {@code Http2ConnectionHandler.resetStream}: the server gave up on a stream. */
  static final class Reset {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) int stream) {
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      Object conn = ctx.channel().attr(key).get();
      if (conn != null) {
        NettyBridge.streamReset(conn, stream);
      }
    }
  }

  /**
   * {@code Http2ConnectionHandler.goAway} on a server: streams above the last one it will process
   * are refused.
   */
  static final class GoAway {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Http2ConnectionHandler self,
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) int lastStream) {
      if (!self.connection().isServer()) {
        return;
      }
      Object k = NettyBridge.attributeKey(AttributeKey.class);
      @SuppressWarnings("unchecked")
      AttributeKey<Object> key =
          k instanceof AttributeKey
              ? (AttributeKey<Object>) k
              : AttributeKey.valueOf(NettyBridge.KEY);
      Object conn = ctx.channel().attr(key).get();
      if (conn != null) {
        NettyBridge.goAway(conn, lastStream);
      }
    }
  }
}

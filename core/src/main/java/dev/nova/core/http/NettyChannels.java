package dev.nova.core.http;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Nova does to a host's Netty channel, reflectively through Netty's public interfaces (the
 * agent carries no Netty of its own, and the host's may be 4.1 or 4.2): ask whether it is active,
 * and close a WebSocket session with a close frame. Never throws.
 */
final class NettyChannels {
  private record Calls(
      Method isActive,
      java.lang.reflect.Constructor<?> closeFrame,
      Method writeAndFlush,
      Method addListener,
      Object closeListener) {}

  private static final Map<Class<?>, Calls> CALLS = new ConcurrentHashMap<>();

  private NettyChannels() {}

  private static Calls calls(Object channel) throws ReflectiveOperationException {
    Calls c = CALLS.get(channel.getClass());
    if (c != null) {
      return c;
    }
    ClassLoader l = channel.getClass().getClassLoader();
    Class<?> ch = Class.forName("io.netty.channel.Channel", false, l);
    Class<?> invoker = Class.forName("io.netty.channel.ChannelOutboundInvoker", false, l);
    Class<?> future = Class.forName("io.netty.channel.ChannelFuture", false, l);
    Class<?> listener = Class.forName("io.netty.util.concurrent.GenericFutureListener", false, l);
    Class<?> futureListener = Class.forName("io.netty.channel.ChannelFutureListener", false, l);
    Class<?> frame =
        Class.forName("io.netty.handler.codec.http.websocketx.CloseWebSocketFrame", false, l);
    c =
        new Calls(
            ch.getMethod("isActive"),
            frame.getConstructor(int.class, String.class),
            invoker.getMethod("writeAndFlush", Object.class),
            future.getMethod("addListener", listener),
            futureListener.getField("CLOSE").get(null));
    if (CALLS.size() < 16) {
      CALLS.put(channel.getClass(), c);
    }
    return c;
  }

  /** False when the channel is gone (collected) or no longer active. */
  static boolean isOpen(Object channel) {
    if (channel == null) {
      return false;
    }
    try {
      return (Boolean) calls(channel).isActive().invoke(channel);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return true; // cannot tell: do not call it gone
    }
  }

  /**
   * Sends a close frame with {@code code} and closes the channel once it is written; the write is
   * queued on the channel's own event loop, never run on the caller's thread.
   */
  static boolean close(Object channel, int code, String reason) {
    if (channel == null) {
      return false;
    }
    try {
      Calls c = calls(channel);
      Object frame = c.closeFrame().newInstance(code, reason);
      Object f = c.writeAndFlush().invoke(channel, frame);
      c.addListener().invoke(f, c.closeListener());
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}

package dev.nova.core.http;

import dev.nova.core.bridge.WsBridge;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What Nova does to a WebSocket session's handle, whatever the host: a Netty channel (through
 * {@link NettyChannels}), Jetty's core session, or a JSR-356 {@code Session} of a servlet container
 * (javax or jakarta), through their public API, reflectively on the host's own classes; or a {@link
 * WsBridge.Handle} the library made. Never throws.
 */
final class WsHandles {
  /** JSR-356 closes write the close frame on the caller's thread, blocking: never the caller's. */
  private static final ThreadPoolExecutor CLOSER =
      new ThreadPoolExecutor(
          1,
          1,
          30,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(10_000),
          r -> {
            Thread t = new Thread(r, "nova-ws-close");
            t.setDaemon(true);
            return t;
          });

  static {
    CLOSER.allowCoreThreadTimeOut(true);
  }

  /** A JSR-356 API (javax or jakarta), found once per session class. */
  private record Jsr(
      Method isOpen, Method close, Method closeCode, java.lang.reflect.Constructor<?> reason) {}

  private static final ClassValue<Jsr> JSR =
      new ClassValue<>() {
        @Override
        protected Jsr computeValue(Class<?> type) {
          Class<?> session = named(type, "jakarta.websocket.Session");
          if (session == null) {
            session = named(type, "javax.websocket.Session");
          }
          if (session == null) {
            return null;
          }
          try {
            String api = session.getPackageName();
            ClassLoader l = session.getClassLoader();
            Class<?> reason = Class.forName(api + ".CloseReason", false, l);
            Class<?> code = Class.forName(api + ".CloseReason$CloseCode", false, l);
            Class<?> codes = Class.forName(api + ".CloseReason$CloseCodes", false, l);
            return new Jsr(
                session.getMethod("isOpen"),
                session.getMethod("close", reason),
                codes.getMethod("getCloseCode", int.class),
                reason.getConstructor(code, String.class));
          } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
          }
        }
      };

  /** Jetty's core session (10, 11, 12): its own close, asynchronous and thread-safe. */
  private record Jetty(Method isOutputOpen, Method close, Object noop) {}

  private static final ClassValue<Jetty> JETTY =
      new ClassValue<>() {
        @Override
        protected Jetty computeValue(Class<?> type) {
          Class<?> core = named(type, "org.eclipse.jetty.websocket.core.CoreSession");
          if (core == null) {
            return null;
          }
          try {
            Class<?> callback =
                Class.forName("org.eclipse.jetty.util.Callback", false, core.getClassLoader());
            return new Jetty(
                core.getMethod("isOutputOpen"),
                core.getMethod("close", int.class, String.class, callback),
                callback.getField("NOOP").get(null));
          } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
          }
        }
      };

  private WsHandles() {}

  private static Class<?> named(Class<?> type, String name) {
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (c.getName().equals(name)) {
        return c;
      }
      if (c.getSuperclass() != null) {
        todo.add(c.getSuperclass());
      }
      todo.addAll(java.util.List.of(c.getInterfaces()));
    }
    return null;
  }

  /** False when the session is gone (collected) or closed. */
  static boolean isOpen(Object handle) {
    if (handle == null) {
      return false;
    }
    if (handle instanceof WsBridge.Handle h) {
      try {
        return h.isOpen();
      } catch (RuntimeException e) {
        return true; // cannot tell: do not call it gone
      }
    }
    Jetty jetty = JETTY.get(handle.getClass());
    Jsr j = jetty == null ? JSR.get(handle.getClass()) : null;
    if (jetty == null && j == null) {
      return NettyChannels.isOpen(handle);
    }
    try {
      return (Boolean) (jetty != null ? jetty.isOutputOpen() : j.isOpen()).invoke(handle);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return true; // cannot tell: do not call it gone
    }
  }

  /**
   * Sends a close frame with {@code code} and closes the session: for Netty queued on the channel's
   * event loop, for a JSR-356 session on Nova's {@code nova-ws-close} thread (its close writes and
   * waits for the frame to go out). True when the close is on its way.
   */
  static boolean close(Object handle, int code, String reason) {
    if (handle == null) {
      return false;
    }
    if (handle instanceof WsBridge.Handle h) {
      try {
        CLOSER.execute(
            () -> {
              try {
                h.close(code, reason);
              } catch (Exception | LinkageError e) {
                // the session went away meanwhile: its close is reported as it ends
              }
            });
        return true;
      } catch (RuntimeException e) {
        return false; // 10,000 closes already waiting
      }
    }
    Jetty jetty = JETTY.get(handle.getClass());
    if (jetty != null) {
      try {
        jetty.close().invoke(handle, code, reason, jetty.noop());
        return true;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return false;
      }
    }
    Jsr j = JSR.get(handle.getClass());
    if (j == null) {
      return NettyChannels.close(handle, code, reason);
    }
    try {
      Object why = j.reason().newInstance(j.closeCode().invoke(null, code), reason);
      CLOSER.execute(
          () -> {
            try {
              j.close().invoke(handle, why);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
              // the session went away meanwhile: the container reports its close
            }
          });
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false; // RejectedExecutionException too: 10,000 closes already waiting
    }
  }
}

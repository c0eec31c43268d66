package dev.nova.core.bridge;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;

/**
 * The doorway from the agent's WebSocket advice on servlet containers (inlined into Tomcat's,
 * Jetty's or Undertow's own session and frame classes) into Nova. The advice hands over the
 * container's session object and what it already has (an endpoint configuration, a close reason);
 * this class reads what Nova needs from them through their public API, once per class. Typed on JDK
 * classes only, since the agent defines it in the bootstrap class loader; every method returns at
 * once when Nova is not up and never throws into the host.
 */
public final class WsBridge {
  /** What Nova does with container WebSocket sessions; {@code session} is the container's. */
  public interface Sink {
    /** {@code key}: what later calls name the session by; {@code handle}: what closes it. */
    void opened(Object key, Object handle, String path, long now);

    void frameIn(Object session, long now);

    /** A close frame: {@code in} from the client, else from the server; {@code code} its status. */
    void close(Object session, boolean in, int code, long now);

    /** The session ended, whoever ended it. */
    void closed(Object session, long now);

    /** Frames from the client to this session will not be seen: its idleness is unknown. */
    default void framesUnseen(Object session) {}
  }

  /**
   * A session handle of the library's own making, for a WebSocket API Nova has no reflective view
   * of (Spring's {@code WebSocketSession}, for one): what {@code ws-close-idle} asks whether the
   * session is open and closes it through. {@link #close} may block (it writes the close frame):
   * Nova calls it on its own thread.
   */
  public interface Handle {
    boolean isOpen();

    void close(int code, String reason) throws Exception;
  }

  /** The code of a connection that dropped without a close frame: never a frame on the wire. */
  public static final int ABNORMAL = 1006;

  private static volatile Sink sink;

  private WsBridge() {}

  public static void install(Sink s) {
    sink = s;
  }

  public static void uninstall(Sink s) {
    if (sink == s) {
      sink = null;
    }
  }

  /**
   * A server session opened; {@code config} is its {@code ServerEndpointConfig} (javax or jakarta),
   * whose path template is the route, or a path itself.
   */
  public static void opened(Object session, Object config, long now) {
    Sink s = sink;
    if (s == null || session == null) {
      return;
    }
    try {
      if (!Boolean.TRUE.equals(call(session, "isOpen"))) {
        return; // the endpoint closed it in its own onOpen: nothing to track
      }
      Object path = config instanceof String ? config : call(config, "getPath");
      s.opened(session, session, path == null ? "/" : path.toString(), now);
    } catch (Throwable t) {
      // never into the host
    }
  }

  /**
   * A Jetty session opened (the core session of 10 to 12, or 9.4's {@code WebSocketSession}): a
   * server one is tracked, its route the JSR-356 endpoint's path template when it has one, else the
   * request's path.
   */
  public static void openedJetty(Object session, long now) {
    Sink s = sink;
    if (s == null || session == null) {
      return;
    }
    try {
      Object behavior = call(session, "getBehavior"); // 10 to 12
      if (behavior == null) {
        behavior = call(call(session, "getPolicy"), "getBehavior"); // 9.4
      }
      if (!"SERVER".equals(String.valueOf(behavior))) {
        return;
      }
      Object config = call(call(session, "getHandler"), "getEndpointConfig"); // 10 to 12
      if (config == null) {
        config = call(session, "getEndpointConfig"); // 9.4's JsrSession
      }
      Object path = call(config, "getPath");
      if (path == null) {
        Object uri = call(session, "getRequestURI");
        path = uri instanceof java.net.URI u ? u.getRawPath() : null;
      }
      s.opened(session, session, path == null ? "/" : path.toString(), now);
    } catch (Throwable t) {
      // never into the host
    }
  }

  /**
   * An Undertow JSR-356 session made on {@code channel} (its key: frames are seen on the channel);
   * a server one has a {@code ServerEndpointConfig}, whose path template is the route.
   */
  public static void openedOn(Object channel, Object session, Object config, long now) {
    Sink s = sink;
    if (s == null || channel == null) {
      return;
    }
    try {
      Object path = call(config, "getPath"); // a client's ClientEndpointConfig has none
      if (path != null) {
        s.opened(channel, session, path.toString(), now);
      }
    } catch (Throwable t) {
      // never into the host
    }
  }

  /**
   * An Undertow session ends ({@code closeInternal}, once while {@code closed} is false): the
   * client's close frame if the channel received one, else the server's own close if the channel is
   * still open, else a connection that dropped.
   */
  public static void endedOn(Object channel, Object closed, Object reason, long now) {
    Sink s = sink;
    if (s == null || channel == null) {
      return;
    }
    try {
      if (closed instanceof java.util.concurrent.atomic.AtomicBoolean b && b.get()) {
        return;
      }
      // a close frame from the client makes Undertow end the session with the client's reason;
      // an end of stream also counts as "close frame received" there, but not as initiated
      if (Boolean.TRUE.equals(call(channel, "isCloseInitiatedByRemotePeer"))) {
        close(channel, true, reason, now);
      } else if (!Boolean.TRUE.equals(call(channel, "isCloseFrameReceived"))
          && Boolean.TRUE.equals(call(channel, "isOpen"))) {
        close(channel, false, reason, now);
      }
      s.closed(channel, now);
    } catch (Throwable t) {
      // never into the host
    }
  }

  /** A frame from the client to a Jetty session; a close frame carries its code. */
  public static void frameInJetty(Object session, Object frame, long now) {
    Sink s = sink;
    if (s == null || session == null) {
      return;
    }
    try {
      s.frameIn(session, now);
      if (call(frame, "getOpCode") instanceof Byte op && op == 8) {
        Object payload = call(frame, "getPayload");
        int code =
            payload instanceof java.nio.ByteBuffer b && b.remaining() >= 2
                ? b.getShort(b.position()) & 0xFFFF
                : 1005; // a close frame without a status
        s.close(session, true, code, now);
      }
    } catch (Throwable t) {
      // never into the host
    }
  }

  public static void frameIn(Object session, long now) {
    Sink s = sink;
    if (s == null || session == null) {
      return;
    }
    try {
      s.frameIn(session, now);
    } catch (Throwable t) {
      // never into the host
    }
  }

  /**
   * A close frame received from the client ({@code in}) or sent by the server, with its reason (a
   * {@code CloseReason}, Jetty's {@code CloseStatus}, or an {@code Integer}). A container that
   * reports a dropped connection as a close with 1006 sent no frame: that is left to {@link
   * #closed}, which makes it abnormal.
   */
  public static void close(Object session, boolean in, Object reason, long now) {
    Sink s = sink;
    if (s == null || session == null) {
      return;
    }
    try {
      int code = code(reason);
      if (code >= 0 && code != ABNORMAL) {
        s.close(session, in, code, now);
      }
    } catch (Throwable t) {
      // never into the host
    }
  }

  /**
   * The server closes a session, sending {@code toPeer}; {@code local} is why it closes here. A
   * local reason of 1006 is a connection that already dropped: the frame never went out.
   */
  public static void closeOut(Object session, Object toPeer, Object local, long now) {
    try {
      if (code(local) != ABNORMAL) {
        close(session, false, toPeer, now);
      }
    } catch (Throwable t) {
      // never into the host
    }
  }

  /**
   * Jetty 9.4's connection closes its session, sending {@code reason}: unless the peer's side of
   * the connection is already shut (an end of stream: the peer dropped, and Jetty answers with a
   * close it cannot deliver).
   */
  public static void closeOutOn(Object connection, Object session, Object reason, long now) {
    try {
      if (!Boolean.TRUE.equals(call(call(connection, "getEndPoint"), "isInputShutdown"))) {
        close(session, false, reason, now);
      }
    } catch (Throwable t) {
      // never into the host
    }
  }

  public static void closed(Object session, long now) {
    Sink s = sink;
    if (s == null || session == null) {
      return;
    }
    try {
      s.closed(session, now);
    } catch (Throwable t) {
      // never into the host
    }
  }

  /** The numeric code of a close reason, or -1. */
  static int code(Object reason) throws Throwable {
    if (reason == null) {
      return -1;
    }
    if (reason instanceof Integer i) {
      return i;
    }
    Object c = call(reason, "getCloseCode"); // JSR-356 CloseReason: a CloseCode
    if (c == null) {
      c = call(reason, "getCode"); // Jetty's CloseStatus
      if (c == null) {
        c = call(reason, "getStatusCode"); // Jetty 9.4's CloseInfo
      }
      return c instanceof Integer i ? i : -1;
    }
    Object n = c instanceof Integer ? c : call(c, "getCode");
    return n instanceof Integer i ? i : -1;
  }

  /**
   * Calls a public no-argument method by name through a public class or interface declaring it
   * (implementations are often package-private), or answers null when there is none.
   */
  static Object call(Object target, String method) throws Throwable {
    if (target == null) {
      return null;
    }
    MethodHandle h = HANDLES.get(target.getClass()).find(method);
    return h == null ? null : h.invoke(target);
  }

  /** Per class: its public no-argument methods that Nova calls, found once. */
  private static final class Handles {
    private final Class<?> type;
    private final java.util.concurrent.ConcurrentHashMap<String, Object> found =
        new java.util.concurrent.ConcurrentHashMap<>();

    Handles(Class<?> type) {
      this.type = type;
    }

    MethodHandle find(String name) {
      Object h = found.computeIfAbsent(name, n -> lookup(type, n));
      return h instanceof MethodHandle m ? m : null;
    }

    private static Object lookup(Class<?> type, String name) {
      Class<?> owner = publicOwner(type, name);
      if (owner == null) {
        return Boolean.FALSE;
      }
      try {
        Class<?> returns = owner.getMethod(name).getReturnType();
        return MethodHandles.publicLookup()
            .findVirtual(owner, name, MethodType.methodType(returns))
            .asType(MethodType.methodType(Object.class, Object.class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return Boolean.FALSE;
      }
    }

    /** The first public class or interface of {@code type} that has a public {@code name()}. */
    private static Class<?> publicOwner(Class<?> type, String name) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if (Modifier.isPublic(c.getModifiers()) && hasMethod(c, name)) {
          return c;
        }
        for (Class<?> i : c.getInterfaces()) {
          Class<?> o = publicOwner(i, name);
          if (o != null) {
            return o;
          }
        }
      }
      return null;
    }

    private static boolean hasMethod(Class<?> c, String name) {
      try {
        return c.getMethod(name).getParameterCount() == 0;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }
  }

  private static final ClassValue<Handles> HANDLES =
      new ClassValue<>() {
        @Override
        protected Handles computeValue(Class<?> type) {
          return new Handles(type);
        }
      };
}

package dev.nova.core.http.jsr356;

import dev.nova.core.bridge.WsBridge;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

/**
 * The session an endpoint tracked in library mode is given: the container's own {@code Session}
 * (javax or jakarta) behind a proxy that tells Nova what the endpoint does with it. A close through
 * it is the server's close with its code; a message handler added through it counts each message it
 * receives as a frame from the client (for idleness); every other call goes to the container's
 * session unchanged. The container's session is what Nova tracks, so a session both the agent and
 * the library see is still one session in each Nova.
 */
final class SessionView implements InvocationHandler {
  /**
   * One JSR-356 API: its {@code Session}, {@code MessageHandler} and its two kinds, a close
   * reason's code, and its typed counting handlers.
   */
  record Api(
      Class<?> session,
      Class<?> handler,
      Class<?> whole,
      Class<?> partial,
      ToIntFunction<Object> code,
      Typed typed) {}

  /** Makes a counting handler typed on {@code type} around {@code handler}, or answers null. */
  interface Typed {
    Object make(Class<?> type, boolean partial, Object handler, Runnable count);
  }

  private final Api api;
  private final WsBridge.Sink sink;
  private final Object session;
  private final Object view;
  private final AtomicBoolean closedHere = new AtomicBoolean();

  /** The application's handlers and the counting ones Nova added in their place. */
  private final Map<Object, Object> handlers = Collections.synchronizedMap(new IdentityHashMap<>());

  private SessionView(Api api, WsBridge.Sink sink, Object session) {
    this.api = api;
    this.sink = sink;
    this.session = session;
    this.view =
        Proxy.newProxyInstance(
            api.session().getClassLoader(), new Class<?>[] {api.session()}, this);
  }

  /** Tracks {@code session}, open on the endpoint whose path template is {@code path}. */
  static SessionView open(Api api, WsBridge.Sink sink, Object session, String path) {
    SessionView v = new SessionView(api, sink, session);
    try {
      sink.opened(session, v.view, path, System.nanoTime());
    } catch (RuntimeException e) {
      // observation never changes what the application does
    }
    return v;
  }

  /** What the application's endpoint is given in place of the container's session. */
  Object view() {
    return view;
  }

  /**
   * The container reports the session closed with {@code reason}: the client's close unless the
   * server closed it through this view, a dropped connection when the code is 1006.
   */
  void ended(Object reason) {
    try {
      long now = System.nanoTime();
      int code = reason == null ? -1 : api.code().applyAsInt(reason);
      if (!closedHere.get() && code >= 0 && code != WsBridge.ABNORMAL) {
        sink.close(session, true, code, now);
      }
      sink.closed(session, now);
    } catch (RuntimeException e) {
      // observation never changes what the application does
    }
  }

  @Override
  public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
    if (m.getDeclaringClass() == Object.class) {
      return switch (m.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> String.valueOf(session);
      };
    }
    switch (m.getName()) {
      case "close" -> closing(args);
      case "addMessageHandler" -> {
        return add(m, args);
      }
      case "removeMessageHandler" -> {
        Object counting = handlers.remove(args[0]);
        return real(m, new Object[] {counting != null ? counting : args[0]});
      }
      case "getMessageHandlers" -> {
        return theirs(real(m, args));
      }
      default -> {
        // everything else is the container's own
      }
    }
    return real(m, args);
  }

  /** The server closes the session, with 1000 or the reason's code, unless it is already shut. */
  private void closing(Object[] args) {
    try {
      if (Boolean.TRUE.equals(real(api.session().getMethod("isOpen"), null))
          && closedHere.compareAndSet(false, true)) {
        int code = args == null || args.length == 0 ? 1000 : api.code().applyAsInt(args[0]);
        sink.close(session, false, code, System.nanoTime());
      }
    } catch (Throwable t) {
      // observation never changes what the application does
    }
  }

  /**
   * Adds a counting handler in place of the application's. The container reads a handler's message
   * type off its class: for the API's own types the API's typed counting handler goes through the
   * one-argument form (every version has it); for others a proxy goes through the two-argument form
   * with the type resolved here as the container would have. A container without that form (1.0 of
   * the javax API: Jetty 9.4) gets the application's handler unchanged, and the session's frames
   * are then unseen: never counted idle. So is a handler whose type cannot be read.
   */
  private Object add(Method m, Object[] args) throws Throwable {
    Object handler = args[args.length - 1];
    if (handler == null) {
      return real(m, args); // the container's own error
    }
    Class<?> kind = api.partial().isInstance(handler) ? api.partial() : api.whole();
    Class<?> type = args.length == 2 ? (Class<?>) args[0] : messageType(handler.getClass(), kind);
    if (type == null) {
      unseen();
      return real(m, args);
    }
    Runnable count = this::counted;
    Object typed = api.typed().make(type, kind == api.partial(), handler, count);
    if (typed != null) {
      return added(handler, typed, api.session().getMethod("addMessageHandler", api.handler()));
    }
    Object counting =
        Proxy.newProxyInstance(
            kind.getClassLoader(), new Class<?>[] {kind}, new Counting(handler, type, count));
    try {
      return added(
          handler, counting, api.session().getMethod("addMessageHandler", Class.class, kind), type);
    } catch (AbstractMethodError | NoSuchMethodError e) {
      if (args.length == 2) {
        throw e; // the container would have answered the same
      }
      unseen();
      return real(m, args);
    }
  }

  private Object added(Object handler, Object counting, Method add, Object... typeFirst)
      throws Throwable {
    handlers.put(handler, counting);
    try {
      Object[] args = new Object[typeFirst.length + 1];
      System.arraycopy(typeFirst, 0, args, 0, typeFirst.length);
      args[typeFirst.length] = counting;
      return real(add, args);
    } catch (Throwable t) {
      handlers.remove(handler); // refused (a second handler for one type): as the container said
      throw t;
    }
  }

  private void counted() {
    try {
      sink.frameIn(session, System.nanoTime());
    } catch (RuntimeException e) {
      // observation never changes what the application does
    }
  }

  private void unseen() {
    try {
      sink.framesUnseen(session);
    } catch (RuntimeException e) {
      // observation never changes what the application does
    }
  }

  private Set<Object> theirs(Object counting) {
    Set<Object> out = new LinkedHashSet<>();
    if (counting instanceof Set<?> set) {
      synchronized (handlers) {
        for (Object c : set) {
          Object original = c;
          for (Map.Entry<Object, Object> e : handlers.entrySet()) {
            if (e.getValue() == c) {
              original = e.getKey();
            }
          }
          out.add(original);
        }
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /** The message type {@code type} declares for {@code kind} (Whole or Partial), or null. */
  static Class<?> messageType(Class<?> type, Class<?> kind) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Type t : c.getGenericInterfaces()) {
        if (t instanceof ParameterizedType p && p.getRawType() == kind) {
          Type arg = p.getActualTypeArguments()[0];
          if (arg instanceof Class<?> k) {
            return k;
          }
          if (arg instanceof ParameterizedType a && a.getRawType() instanceof Class<?> k) {
            return k;
          }
          return null; // a type variable: not resolvable from the class alone
        }
      }
    }
    return null;
  }

  private Object real(Method m, Object... args) throws Throwable {
    try {
      return m.invoke(session, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A message handler that counts each message as a frame from the client, then handles it. */
  private static final class Counting implements InvocationHandler {
    private final Object handler;
    private final Class<?> type;
    private final Runnable count;

    Counting(Object handler, Class<?> type, Runnable count) {
      this.handler = handler;
      this.type = type;
      this.count = count;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      if (m.getDeclaringClass() == Object.class) {
        return switch (m.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "counting " + type.getName();
        };
      }
      count.run();
      try {
        return m.invoke(handler, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}

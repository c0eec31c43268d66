package dev.nova.core.bridge;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The doorway from the agent's servlet advice (inlined into the host's outermost {@code Filter} or
 * {@code Servlet}, javax or jakarta) into Nova. Typed on JDK classes only, since the agent defines
 * it in the bootstrap class loader; every method returns at once when Nova is not up and never
 * throws into the host.
 *
 * <p>A request is Nova's once: the advice's first entry stores an {@link Exchange} in the request
 * attribute {@link #KEY}, and every later entry for the same request (the rest of the filter chain,
 * forwards, includes, error pages, async re-dispatch on another thread) sees it and stays out. An
 * async request ends when the container completes it: {@link #async} makes the {@code
 * AsyncListener} for that as a {@link Proxy} of the host's own interface, so no class of Nova's is
 * ever defined in the host's class loader.
 */
public final class ServletBridge {
  /** The request attribute that marks a request as Nova's; inlined by javac into the advice. */
  public static final String KEY = "dev.nova.http";

  /** Where Spring MVC puts the route template that matched (its {@code HandlerMapping}). */
  public static final String SPRING_PATTERN =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /** What Nova does with a servlet request. */
  public interface Sink {
    /**
     * A request arrived (for "requests arriving and none answered"); {@code server} is the
     * container's family and version when it changes from the last request's.
     */
    void arrived(String server);

    /** The route of a request: Spring's template when there is one, else the request URI's. */
    String route(String contextPath, Object springPattern, String requestUri);

    /**
     * One finished request; {@code upgrade}: it asked for a WebSocket; {@code h2}: it came over
     * HTTP/2.
     */
    void ended(
        String method,
        String route,
        int status,
        long nanos,
        long bytesIn,
        long bytesOut,
        boolean upgrade,
        boolean h2);
  }

  /** Nova's record of one request, in its {@link #KEY} attribute; ended exactly once. */
  public static final class Exchange {
    private static final AtomicIntegerFieldUpdater<Exchange> ENDED =
        AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "ended");

    final String method;
    final long start;
    String route;
    long bytesIn;
    boolean upgrade;
    volatile boolean h2;
    volatile boolean failed;
    private volatile int ended;

    Exchange(String method, long start) {
      this.method = method;
      this.start = start;
    }

    boolean end() {
      return ENDED.compareAndSet(this, 0, 1);
    }

    @Override
    public String toString() {
      return "Nova's record of " + method + " " + (route == null ? "(in progress)" : route);
    }
  }

  private static volatile Sink sink;

  private ServletBridge() {}

  public static void install(Sink s) {
    sink = s;
  }

  public static void uninstall(Sink s) {
    if (sink == s) {
      sink = null;
    }
  }

  /**
   * The outermost entry of a request: its record, or null when Nova is not up. {@code requestType}
   * (the container's request class) tells which container this is.
   */
  public static Object start(String method, long now, Class<?> requestType) {
    return start(sink, method, now, requestType);
  }

  /**
   * {@link #start(String, long, Class)} for a request that may already have a record from Jetty
   * 12's server ({@code core}, its {@link JettyCoreBridge#KEY} attribute): that record is taken
   * over, its arrival already counted and its start where Jetty began the request.
   */
  public static Object start(String method, long now, Class<?> requestType, Object core) {
    if (core != null) {
      Object exchange = JettyCoreBridge.takeOver(core);
      if (exchange != null) {
        return exchange;
      }
    }
    return start(sink, method, now, requestType);
  }

  /** {@link #start(String, long, Class)} into a given sink (the library's filter). */
  public static Object start(Sink s, String method, long now, Class<?> requestType) {
    if (s == null) {
      return null;
    }
    try {
      String server = SERVERS.get(requestType);
      if (server != lastServer) {
        lastServer = server;
        s.arrived(server);
      } else {
        s.arrived(null);
      }
      return new Exchange(method, now);
    } catch (Throwable t) {
      return null;
    }
  }

  private static volatile String lastServer;

  /** "Tomcat 10.1.34", "Jetty 12.1.14", "Undertow 2.3.21.Final", from the request's class. */
  private static final ClassValue<String> SERVERS =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          String n = type.getName();
          String family =
              n.startsWith("org.apache.catalina.")
                  ? "Tomcat"
                  : n.startsWith("org.eclipse.jetty.")
                      ? "Jetty"
                      : n.startsWith("io.undertow.") ? "Undertow" : type.getPackageName();
          Package p = type.getPackage();
          String v = p == null ? null : p.getImplementationVersion();
          if (v == null) {
            v = declaredVersion(family, type.getClassLoader());
          }
          return v == null ? family : family + " " + v;
        }
      };

  /**
   * The version a container states in code, for loaders that define packages without their jar's
   * manifest (a Spring Boot executable jar's): Tomcat's {@code ServerInfo}, Jetty's {@code
   * Jetty.VERSION}, Undertow's {@code Version}.
   */
  private static String declaredVersion(String family, ClassLoader loader) {
    try {
      Object v =
          switch (family) {
            case "Tomcat" ->
                Class.forName("org.apache.catalina.util.ServerInfo", false, loader)
                    .getMethod("getServerNumber")
                    .invoke(null);
            case "Jetty" ->
                Class.forName("org.eclipse.jetty.util.Jetty", false, loader)
                    .getField("VERSION")
                    .get(null);
            case "Undertow" ->
                Class.forName("io.undertow.Version", false, loader)
                    .getMethod("getVersionString")
                    .invoke(null);
            default -> null;
          };
      return v == null ? null : v.toString();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** The request's {@code getProtocol()}: {@code HTTP/2.0} marks an HTTP/2 stream. */
  public static void protocol(Object exchange, String protocol) {
    if (exchange instanceof Exchange e && protocol != null && protocol.startsWith("HTTP/2")) {
      e.h2 = true;
    }
  }

  /**
   * A request answered when its outermost filter or servlet returned; {@code contentLength} is the
   * response's declared length, {@code upgradeHeader} the request's {@code Upgrade} header.
   */
  public static void end(
      Object exchange,
      String contextPath,
      Object springPattern,
      String requestUri,
      int status,
      long now,
      long bytesIn,
      String contentLength,
      String upgradeHeader) {
    end(
        sink,
        exchange,
        contextPath,
        springPattern,
        requestUri,
        status,
        now,
        bytesIn,
        contentLength,
        upgradeHeader);
  }

  /** {@link #end(Object, String, Object, String, int, long, long, String, String)} into a sink. */
  public static void end(
      Sink s,
      Object exchange,
      String contextPath,
      Object springPattern,
      String requestUri,
      int status,
      long now,
      long bytesIn,
      String contentLength,
      String upgradeHeader) {
    if (s == null || !(exchange instanceof Exchange e)) {
      return;
    }
    try {
      e.route = s.route(contextPath, springPattern, requestUri);
      e.bytesIn = Math.max(0, bytesIn);
      e.upgrade = upgradeHeader != null;
      finish(s, e, status, now, contentLength);
    } catch (Throwable t) {
      // never into the host
    }
  }

  private static void finish(Sink s, Exchange e, int status, long now, String contentLength) {
    if (e.end()) {
      s.ended(
          e.method,
          e.route,
          status,
          now - e.start,
          e.bytesIn,
          length(contentLength),
          e.upgrade,
          e.h2);
    }
  }

  /**
   * A request whose outermost call returned in async mode: the {@code AsyncListener} (a proxy of
   * {@code listenerType}, the host's {@code javax.servlet.AsyncListener} or jakarta's) that ends it
   * when the container completes it, or null when Nova is not up. {@code response} is the host's
   * {@code HttpServletResponse}, read at completion.
   */
  public static Object async(
      Object exchange,
      String contextPath,
      Object springPattern,
      String requestUri,
      long bytesIn,
      String upgradeHeader,
      Object response,
      Class<?> listenerType) {
    return async(
        sink,
        exchange,
        contextPath,
        springPattern,
        requestUri,
        bytesIn,
        upgradeHeader,
        response,
        listenerType);
  }

  /** {@link #async(Object, String, Object, String, long, String, Object, Class)} into a sink. */
  public static Object async(
      Sink s,
      Object exchange,
      String contextPath,
      Object springPattern,
      String requestUri,
      long bytesIn,
      String upgradeHeader,
      Object response,
      Class<?> listenerType) {
    if (s == null || !(exchange instanceof Exchange e)) {
      return null;
    }
    try {
      e.route = s.route(contextPath, springPattern, requestUri);
      e.bytesIn = Math.max(0, bytesIn);
      e.upgrade = upgradeHeader != null;
      Kit kit = KITS.get(listenerType);
      if (kit == null) {
        return null;
      }
      return kit.listener(s, e, response);
    } catch (Throwable t) {
      return null;
    }
  }

  /** The body's length from {@code Content-Length}; -1 when the response did not say (chunked). */
  private static long length(String header) {
    if (header == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(header.trim());
      return n < 0 ? -1 : n;
    } catch (NumberFormatException ex) {
      return -1;
    }
  }

  /**
   * Method handles on one servlet API (javax or jakarta), found once from its {@code
   * AsyncListener}: the response's status and length, and how to listen again when the request goes
   * async once more (containers drop their listeners at every {@code startAsync}).
   */
  private static final class Kit {
    final Class<?> listenerType;
    final MethodHandle getStatus;
    final MethodHandle getHeader;
    final MethodHandle eventContext;
    final MethodHandle addListener;

    Kit(Class<?> listenerType) throws ReflectiveOperationException {
      this.listenerType = listenerType;
      ClassLoader loader = listenerType.getClassLoader();
      String api = listenerType.getPackageName();
      Class<?> response = Class.forName(api + ".http.HttpServletResponse", false, loader);
      Class<?> event = Class.forName(api + ".AsyncEvent", false, loader);
      Class<?> context = Class.forName(api + ".AsyncContext", false, loader);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      this.getStatus = lookup.findVirtual(response, "getStatus", MethodType.methodType(int.class));
      this.getHeader =
          lookup.findVirtual(
              response, "getHeader", MethodType.methodType(String.class, String.class));
      this.eventContext =
          lookup.findVirtual(event, "getAsyncContext", MethodType.methodType(context));
      this.addListener =
          lookup.findVirtual(
              context, "addListener", MethodType.methodType(void.class, listenerType));
    }

    Object listener(Sink s, Exchange e, Object response) {
      return Proxy.newProxyInstance(
          listenerType.getClassLoader(),
          new Class<?>[] {listenerType},
          new AsyncEnd(s, this, e, response));
    }
  }

  private static final ClassValue<Kit> KITS =
      new ClassValue<>() {
        @Override
        protected Kit computeValue(Class<?> listenerType) {
          try {
            return new Kit(listenerType);
          } catch (Throwable t) {
            return null; // not a servlet API Nova knows: async requests are not ended by Nova
          }
        }
      };

  /** The body of the async listener proxy. */
  private static final class AsyncEnd implements InvocationHandler {
    private final Sink sink;
    private final Kit kit;
    private final Exchange exchange;
    private final Object response;

    AsyncEnd(Sink sink, Kit kit, Exchange exchange, Object response) {
      this.sink = sink;
      this.kit = kit;
      this.exchange = exchange;
      this.response = response;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      try {
        switch (method.getName()) {
          case "onComplete" -> complete();
          case "onTimeout", "onError" -> exchange.failed = true;
          case "onStartAsync" -> kit.addListener.invoke(kit.eventContext.invoke(args[0]), proxy);
          case "equals" -> {
            return proxy == args[0];
          }
          case "hashCode" -> {
            return System.identityHashCode(proxy);
          }
          case "toString" -> {
            return exchange.toString();
          }
          default -> {
            // a listener method of a newer servlet API: nothing to do
          }
        }
      } catch (Throwable t) {
        // never into the host's container
      }
      return null;
    }

    private void complete() throws Throwable {
      int status = (int) kit.getStatus.invoke(response);
      // a timeout or error the application did not answer is the container's 500
      if (exchange.failed && status < 400) {
        status = 500;
      }
      finish(
          sink,
          exchange,
          status,
          System.nanoTime(),
          (String) kit.getHeader.invoke(response, "Content-Length"));
    }
  }
}

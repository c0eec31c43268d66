package dev.nova.core.bridge;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

/**
 * The doorway from the agent's advice on Jetty 12's {@code Server.handle(Request, Response,
 * Callback)}, where every request of Jetty 12 starts, core handlers and servlet contexts alike,
 * into Nova. The request's record goes into its attribute {@link #KEY}, and its end is Jetty's own
 * completion listener ({@code Request.addCompletionListener}, 12.0.5 and later), which runs once
 * the response is done however the handler finished: synchronously, later on another thread, or by
 * failing. A request that reaches a servlet is the servlet hook's, which knows its context, its
 * Spring template and its async end: that hook takes the record over (and with it the arrival
 * already counted), and the completion here then says nothing. Typed on JDK classes only, since the
 * agent defines it in the bootstrap class loader; Jetty's API is called through method handles
 * found once per request class. Never throws into the host.
 */
public final class JettyCoreBridge {
  /** The request attribute holding Nova's record of a request at Jetty's server. */
  public static final String KEY = "dev.nova.http.core";

  private JettyCoreBridge() {}

  /** Nova's record at Jetty's server; a servlet's record takes it over at most once. */
  public static final class Core {
    private static final AtomicIntegerFieldUpdater<Core> TAKEN =
        AtomicIntegerFieldUpdater.newUpdater(Core.class, "taken");

    final Object exchange;
    private volatile int taken;

    Core(Object exchange) {
      this.exchange = exchange;
    }

    /** True for the one caller that takes the request over from the server's record. */
    boolean takeOver() {
      return TAKEN.compareAndSet(this, 0, 1);
    }

    @Override
    public String toString() {
      return "Nova's record of a request at Jetty's server";
    }
  }

  /** Jetty 12's API for one request class, or null where it is not there. */
  private record Api(
      MethodHandle getAttribute,
      MethodHandle setAttribute,
      MethodHandle method,
      MethodHandle path,
      MethodHandle requestHeader,
      MethodHandle responseHeader,
      MethodHandle length,
      MethodHandle status,
      MethodHandle addCompletionListener,
      MethodHandle protocol) {}

  private static final ClassValue<Api> API =
      new ClassValue<>() {
        @Override
        protected Api computeValue(Class<?> type) {
          try {
            ClassLoader l = type.getClassLoader();
            Class<?> request = Class.forName("org.eclipse.jetty.server.Request", false, l);
            Class<?> response = Class.forName("org.eclipse.jetty.server.Response", false, l);
            Class<?> attributes = Class.forName("org.eclipse.jetty.util.Attributes", false, l);
            Class<?> uri = Class.forName("org.eclipse.jetty.http.HttpURI", false, l);
            Class<?> fields = Class.forName("org.eclipse.jetty.http.HttpFields", false, l);
            Class<?> source = Class.forName("org.eclipse.jetty.io.Content$Source", false, l);
            Class<?> meta = Class.forName("org.eclipse.jetty.server.ConnectionMetaData", false, l);
            MethodHandles.Lookup p = MethodHandles.publicLookup();
            MethodHandle header =
                p.findVirtual(fields, "get", MethodType.methodType(String.class, String.class));
            return new Api(
                p.findVirtual(
                        attributes,
                        "getAttribute",
                        MethodType.methodType(Object.class, String.class))
                    .asType(MethodType.methodType(Object.class, Object.class, String.class)),
                p.findVirtual(
                        attributes,
                        "setAttribute",
                        MethodType.methodType(Object.class, String.class, Object.class))
                    .asType(
                        MethodType.methodType(
                            Object.class, Object.class, String.class, Object.class)),
                p.findVirtual(request, "getMethod", MethodType.methodType(String.class))
                    .asType(MethodType.methodType(String.class, Object.class)),
                MethodHandles.filterReturnValue(
                        p.findVirtual(request, "getHttpURI", MethodType.methodType(uri)),
                        p.findVirtual(uri, "getPath", MethodType.methodType(String.class)))
                    .asType(MethodType.methodType(String.class, Object.class)),
                MethodHandles.collectArguments(
                        header,
                        0,
                        p.findVirtual(request, "getHeaders", MethodType.methodType(fields)))
                    .asType(MethodType.methodType(String.class, Object.class, String.class)),
                MethodHandles.collectArguments(
                        header,
                        0,
                        p.unreflect(response.getMethod("getHeaders")) // HttpFields.Mutable
                            .asType(MethodType.methodType(fields, response)))
                    .asType(MethodType.methodType(String.class, Object.class, String.class)),
                p.findVirtual(source, "getLength", MethodType.methodType(long.class))
                    .asType(MethodType.methodType(long.class, Object.class)),
                p.findVirtual(response, "getStatus", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class)),
                p.findStatic(
                        request,
                        "addCompletionListener",
                        MethodType.methodType(void.class, request, Consumer.class))
                    .asType(MethodType.methodType(void.class, Object.class, Consumer.class)),
                MethodHandles.filterReturnValue(
                        p.findVirtual(
                            request, "getConnectionMetaData", MethodType.methodType(meta)),
                        p.findVirtual(meta, "getProtocol", MethodType.methodType(String.class)))
                    .asType(MethodType.methodType(String.class, Object.class)));
          } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // not Jetty 12.0.5 or later: the servlet hook alone, as before
          }
        }
      };

  /** {@code Server.handle(request, response, callback)} is entered. */
  public static void handle(Object request, Object response, long now) {
    if (request == null || response == null) {
      return;
    }
    try {
      Api api = API.get(request.getClass());
      if (api == null || api.getAttribute().invoke(request, KEY) != null) {
        return;
      }
      Object exchange =
          ServletBridge.start((String) api.method().invoke(request), now, request.getClass());
      if (exchange == null) {
        return;
      }
      // "HTTP/2.0" on an HTTP/2 stream (Jetty's HTTP2CServerConnectionFactory or ALPN's h2)
      ServletBridge.protocol(exchange, (String) api.protocol().invoke(request));
      Core core = new Core(exchange);
      Object ignored = api.setAttribute().invoke(request, KEY, core);
      Consumer<Throwable> done = failure -> completed(api, core, request, response, failure);
      api.addCompletionListener().invoke(request, done);
    } catch (Throwable t) {
      // never into the host
    }
  }

  /**
   * The record a servlet's outermost call finds in {@link #KEY}: its exchange when the servlet
   * takes the request over, else null.
   */
  static Object takeOver(Object core) {
    return core instanceof Core c && c.takeOver() ? c.exchange : null;
  }

  private static void completed(
      Api api, Core core, Object request, Object response, Throwable failure) {
    try {
      if (!core.takeOver()) {
        return; // a servlet's request: its hook ends it
      }
      int status = (int) api.status().invoke(response);
      // a failed request Jetty had no answer for yet is the 500 it sends
      ServletBridge.end(
          core.exchange,
          null,
          null, // a core handler has no template: the path is the route, templated as ever
          (String) api.path().invoke(request),
          failure != null && status < 400 ? 500 : status,
          System.nanoTime(),
          (long) api.length().invoke(request),
          (String) api.responseHeader().invoke(response, "Content-Length"),
          (String) api.requestHeader().invoke(request, "Upgrade"));
    } catch (Throwable t) {
      // never into the host
    }
  }
}

package dev.nova.core.http;

import com.sun.net.httpserver.HttpContext;
import dev.nova.core.bridge.NettyBridge;
import dev.nova.core.bridge.ServletBridge;
import dev.nova.core.bridge.WsBridge;

/**
 * HTTP and WebSocket in library mode: observe a JDK server context, or add {@code NovaNettyHandler}
 * to a Netty pipeline; under the agent both happen by themselves.
 */
public final class NovaHttp {
  private final HttpTracker http;
  private final WsTracker ws;
  private final NettyBridge.Sink sink;
  private final ServletBridge.Sink servletSink;
  private final WsBridge.Sink containerWebSockets;

  public NovaHttp(HttpTracker http, WsTracker ws) {
    this.http = http;
    this.ws = ws;
    this.sink = new HttpSink(http, ws);
    this.servletSink = new ServletSink(http, ws);
    this.containerWebSockets = new ContainerWebSockets(ws, http.routes());
    http.webSockets(ws);
  }

  /** Observes every request of this JDK HTTP server context (once; a second call does nothing). */
  public void observe(HttpContext context) {
    for (Object f : context.getFilters()) {
      if (f instanceof JdkHttpFilter) {
        return;
      }
    }
    context.getFilters().add(0, new JdkHttpFilter(http));
  }

  /** Removes Nova's observation from a context (Nova's own admin listener uses this). */
  public static void ignore(HttpContext context) {
    context.getFilters().removeIf(f -> f instanceof dev.nova.core.bridge.HttpServerBridge.Observer);
  }

  /** The sink the agent's Netty advice and the library's Netty handler feed. */
  public NettyBridge.Sink sink() {
    return sink;
  }

  /** The sink the agent's servlet advice feeds. */
  public ServletBridge.Sink servletSink() {
    return servletSink;
  }

  /** The sink the agent's WebSocket advice on servlet containers feeds. */
  public WsBridge.Sink containerWebSockets() {
    return containerWebSockets;
  }

  public HttpTracker tracker() {
    return http;
  }

  public WsTracker webSockets() {
    return ws;
  }
}

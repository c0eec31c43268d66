package dev.nova.core.http;

import dev.nova.core.diagnosis.NovaClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request health for runbook scenario 1: every finished request (method, route, status, latency,
 * bytes) goes into the contract's meters ({@link HttpMeters}) and into the sliding window the
 * detectors and {@code signals.http} read ({@link HttpWindow}, rendered by {@link HttpSignals}).
 * Requests are told to it by the Netty instrumentation, the library's Netty handler, the servlet
 * and JDK server hooks, through {@link Conn} (one per connection, used by that connection's thread
 * only) or {@link #record}; this class holds the connection state and hands each request on.
 */
public final class HttpTracker {
  static final int MAX_INFLIGHT_PER_CONN = 64;
  static final String[] METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER"
  };

  /** One in-flight request on a connection. */
  static final class InFlight {
    final String method;
    final String route;
    final long start;
    final boolean upgrade;
    long bytesIn;
    long bytesOut;
    int status;

    InFlight(String method, String route, long start, boolean upgrade) {
      this.method = method;
      this.route = route;
      this.start = start;
      this.upgrade = upgrade;
    }
  }

  /**
   * One connection's requests, oldest first (pipelined requests are answered in order). Used by the
   * connection's own thread only; kept in the host's channel, so it dies with it.
   */
  public final class Conn {
    final ArrayDeque<InFlight> inflight = new ArrayDeque<>(2);
    InFlight responding;
    WsTracker.Session session;
    boolean closed;

    public void request(String method, String uri, boolean upgrade, long now) {
      if (inflight.size() >= MAX_INFLIGHT_PER_CONN) {
        return;
      }
      InFlight r = new InFlight(method(method), routes.route(uri), now, upgrade);
      inflight.addLast(r);
      started();
    }

    public void requestBytes(long n) {
      InFlight r = inflight.peekLast();
      if (r != null) {
        r.bytesIn += n;
      }
    }

    public void responseStart(int status) {
      InFlight r = inflight.peekFirst();
      if (r == null) {
        return;
      }
      if (status < 200 && status != 101) {
        responding = null; // 100 Continue and the like: the real response is still to come
        return;
      }
      r.status = status;
      responding = r;
    }

    public void responseBytes(long n) {
      InFlight r = responding;
      if (r != null) {
        r.bytesOut += n;
      }
    }

    /** The last part of the response went out; {@code session} is the WebSocket it opened. */
    public void responseEnd(long now) {
      InFlight r = responding;
      if (r == null) {
        return;
      }
      responding = null;
      inflight.pollFirst();
      record(r.method, r.route, r.status, now - r.start, r.bytesIn, r.bytesOut);
      if (r.upgrade && ws != null) {
        if (r.status == 101) {
          session = ws.opened(r.route, channel(), now);
        } else {
          ws.refused(r.route, r.status);
        }
      }
    }

    /** The connection closed: requests still in flight were reset mid-request. */
    public void inactive(long now) {
      if (closed) {
        return;
      }
      closed = true;
      for (InFlight r : inflight) {
        reset(r.route);
      }
      inflight.clear();
      responding = null;
      if (session != null && ws != null) {
        ws.closed(session, now);
      }
    }

    public WsTracker.Session session() {
      return session;
    }

    private Object channel() {
      return channelRef == null ? null : channelRef.get();
    }

    java.lang.ref.WeakReference<Object> channelRef;
  }

  private final Routes routes;
  private final HttpWindow window;
  private final HttpMeters meters;
  private volatile WsTracker ws;

  /** Finished requests on watched routes (the host's own metrics endpoints) go here too. */
  public interface RouteWatch {
    void answered(String route, int status, long bytesOut);
  }

  private volatile java.util.Set<String> watchedRoutes = java.util.Set.of();
  private volatile RouteWatch routeWatch;

  /** Sends every finished request on one of {@code routes} to {@code watch} as well. */
  public void watch(java.util.Set<String> routes, RouteWatch watch) {
    this.routeWatch = watch;
    this.watchedRoutes = java.util.Set.copyOf(routes);
  }

  public HttpTracker(
      NovaClock clock, Routes routes, MeterRegistry registry, Duration window, Duration slow) {
    this.routes = routes;
    this.window = new HttpWindow(clock, window, slow);
    this.meters = new HttpMeters(registry);
  }

  /** WebSocket sessions opened by upgrades go there. */
  public void webSockets(WsTracker tracker) {
    this.ws = tracker;
  }

  public Routes routes() {
    return routes;
  }

  /** A new connection's state; {@code channel} is held weakly. */
  public Conn connection(Object channel) {
    Conn c = new Conn();
    c.channelRef = new java.lang.ref.WeakReference<>(channel);
    window.connection();
    return c;
  }

  static String method(String m) {
    return METHODS[methodIndex(m)];
  }

  static int methodIndex(String m) {
    if (m == null) {
      return 7;
    }
    return switch (m) {
      case "GET" -> 0;
      case "POST" -> 1;
      case "PUT" -> 2;
      case "DELETE" -> 3;
      case "PATCH" -> 4;
      case "HEAD" -> 5;
      case "OPTIONS" -> 6;
      default -> 7;
    };
  }

  /** Route figures kept in the window's slices, over all stripes. */
  public int routeSlices() {
    return window.routeSlices();
  }

  private void started() {
    window.started();
  }

  /** A request arrived on a host that reports requests whole (a servlet container). */
  public void arrived() {
    started();
  }

  /** How many server names {@link #servers} keeps: a JVM runs one or two servers. */
  static final int MAX_SERVERS = 8;

  private final java.util.Set<String> servers = ConcurrentHashMap.newKeySet();

  /** A server family (and version) that answers requests in this JVM: "Tomcat 10.1.34". */
  public void server(String name) {
    if (name != null && servers.size() < MAX_SERVERS && !servers.contains(name)) {
      servers.add(name);
    }
  }

  /** The server families seen answering, sorted. */
  public List<String> servers() {
    return new java.util.TreeSet<>(servers).stream().toList();
  }

  /** A request on this route ended without an answer (connection reset or handler failure). */
  public void resetOn(String route) {
    reset(route);
  }

  private void reset(String route) {
    window.reset(route);
  }

  /** One finished request. */
  public void record(
      String method, String route, int status, long nanos, long bytesIn, long bytesOut) {
    RouteWatch rw = routeWatch;
    if (rw != null && watchedRoutes.contains(route)) {
      try {
        rw.answered(route, status, bytesOut);
      } catch (RuntimeException e) {
        // a watch must not cost the request its record
      }
    }
    window.record(route, status, nanos, bytesIn, bytesOut);
    meters.record(methodIndex(method), route, status, nanos);
  }

  /** The window now: totals and per route. */
  public HttpWindow.Window window() {
    return window.window();
  }

  public long slowNanos() {
    return window.slowNanos();
  }

  /** {@code signals.http}. */
  public Map<String, Object> snapshot() {
    return HttpSignals.snapshot(window(), servers());
  }
}

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

  /** The {@code protocol} tag's values, by index: HTTP/1.1 (and 1.0), then HTTP/2. */
  public static final String[] PROTOCOLS = {"http/1.1", "h2"};

  public static final int HTTP1 = 0;
  public static final int H2 = 1;

  /** Streams of one HTTP/2 connection tracked at once (servers allow 100 to a few hundred). */
  static final int MAX_STREAMS_PER_CONN = 1024;

  /** What a request's {@code Upgrade} header asks for. */
  public static final int NO_UPGRADE = 0;

  public static final int WEBSOCKET = dev.nova.core.bridge.NettyBridge.WEBSOCKET;
  public static final int H2C = dev.nova.core.bridge.NettyBridge.H2C;

  /**
   * One in-flight request on a connection. A connection keeps the last one it finished and reuses
   * it for its next request (one connection's thread only), so keep-alive traffic allocates none.
   */
  static final class InFlight {
    String method;
    String route;
    long start;
    boolean upgrade;
    boolean h2c;
    int protocol;
    long bytesIn;
    long bytesOut;
    int status;

    InFlight(String method, String route, long start, int upgrade) {
      set(method, route, start, upgrade);
    }

    InFlight set(String method, String route, long start, int upgrade) {
      this.method = method;
      this.route = route;
      this.start = start;
      this.upgrade = upgrade == WEBSOCKET;
      this.h2c = upgrade == H2C;
      protocol = HTTP1;
      bytesIn = 0;
      bytesOut = 0;
      status = 0;
      return this;
    }
  }

  /**
   * A connection's open HTTP/2 streams by id, in two small arrays searched from the newest: a
   * connection has a few streams open at a time, and this boxes nothing on the event loop.
   */
  static final class Streams {
    int[] ids = new int[4];
    InFlight[] values = new InFlight[4];
    private int size;

    int size() {
      return size;
    }

    InFlight get(int id) {
      for (int i = size - 1; i >= 0; i--) {
        if (ids[i] == id) {
          return values[i];
        }
      }
      return null;
    }

    void put(int id, InFlight r) {
      if (size == ids.length) {
        ids = java.util.Arrays.copyOf(ids, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      ids[size] = id;
      values[size++] = r;
    }

    InFlight remove(int id) {
      for (int i = size - 1; i >= 0; i--) {
        if (ids[i] == id) {
          InFlight r = values[i];
          System.arraycopy(ids, i + 1, ids, i, size - i - 1);
          System.arraycopy(values, i + 1, values, i, size - i - 1);
          values[--size] = null;
          return r;
        }
      }
      return null;
    }

    void clear() {
      java.util.Arrays.fill(values, 0, size, null);
      size = 0;
    }
  }

  /**
   * One connection's requests, oldest first (pipelined requests are answered in order). Used by the
   * connection's own thread only; kept in the host's channel, so it dies with it.
   */
  public final class Conn {
    final ArrayDeque<InFlight> inflight = new ArrayDeque<>(2);
    InFlight responding;

    /** The request this connection finished last, for its next one. */
    InFlight spare;

    WsTracker.Session session;
    boolean closed;

    /** HTTP/2 streams carrying a request, by stream id; made at the connection's first. */
    Streams streams;

    public void request(String method, String uri, boolean upgrade, long now) {
      request(method, uri, upgrade ? WEBSOCKET : NO_UPGRADE, now);
    }

    /** A request on HTTP/1.1; {@code upgrade}: {@link #WEBSOCKET}, {@link #H2C} or none. */
    public void request(String method, String uri, int upgrade, long now) {
      if (inflight.size() >= MAX_INFLIGHT_PER_CONN) {
        return;
      }
      inflight.addLast(inFlight(method(method), routes.route(uri), now, upgrade));
      started();
    }

    /** The request headers of HTTP/2 stream {@code stream}: a request starts. */
    public void streamRequest(int stream, String method, String path, long now) {
      if (streams == null) {
        streams = new Streams();
      }
      if (streams.size() >= MAX_STREAMS_PER_CONN || streams.get(stream) != null) {
        return;
      }
      InFlight r = inFlight(method(method), routes.route(path), now, NO_UPGRADE);
      r.protocol = H2;
      streams.put(stream, r);
      started();
    }

    public void streamRequestBytes(int stream, long n) {
      InFlight r = streams == null ? null : streams.get(stream);
      if (r != null) {
        r.bytesIn += n;
      }
    }

    /** Response headers on a stream; informational ones (1xx) are not the answer. */
    public void streamResponse(int stream, int status) {
      InFlight r = streams == null ? null : streams.get(stream);
      if (r != null && status >= 200) {
        r.status = status;
      }
    }

    public void streamResponseBytes(int stream, long n) {
      InFlight r = streams == null ? null : streams.get(stream);
      if (r != null) {
        r.bytesOut += n;
      }
    }

    /** The response on {@code stream} ended (its last frame carried END_STREAM). */
    public void streamEnd(int stream, long now) {
      InFlight r = streams == null ? null : streams.get(stream);
      if (r == null || r.status == 0) {
        return; // no request seen on it, or the end of the request's own frames
      }
      streams.remove(stream);
      record(H2, r.method, r.route, r.status, now - r.start, r.bytesIn, r.bytesOut);
      spare = r;
    }

    private InFlight inFlight(String method, String route, long now, int upgrade) {
      InFlight r = spare;
      if (r == null) {
        return new InFlight(method, route, now, upgrade);
      }
      spare = null;
      return r.set(method, route, now, upgrade);
    }

    /** {@code RST_STREAM} (either side) before the response ended: like a dropped connection. */
    public void streamReset(int stream) {
      InFlight r = streams == null ? null : streams.remove(stream);
      if (r != null) {
        reset(H2, r.route);
      }
    }

    /** {@code GOAWAY}: streams above {@code lastStream} will not be answered on this connection. */
    public void goAway(int lastStream) {
      if (streams == null) {
        return;
      }
      for (int i = streams.size() - 1; i >= 0; i--) {
        if (streams.ids[i] > lastStream) {
          reset(H2, streams.values[i].route);
          streams.remove(streams.ids[i]);
        }
      }
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
      if (r.h2c && r.status == 101) {
        // h2c by upgrade: the request goes on as HTTP/2 stream 1, answered there
        if (streams == null) {
          streams = new Streams();
        }
        r.protocol = H2;
        r.status = 0;
        r.bytesOut = 0;
        streams.put(1, r);
        return;
      }
      record(r.method, r.route, r.status, now - r.start, r.bytesIn, r.bytesOut);
      if (r.upgrade && ws != null) {
        if (r.status == 101) {
          session = ws.opened(r.route, channel(), now);
        } else {
          ws.refused(r.route, r.status);
        }
      }
      spare = r;
    }

    /** The connection closed: requests still in flight were reset mid-request. */
    public void inactive(long now) {
      if (closed) {
        return;
      }
      closed = true;
      for (InFlight r : inflight) {
        reset(HTTP1, r.route);
      }
      inflight.clear();
      if (streams != null) {
        for (int i = 0; i < streams.size(); i++) {
          reset(H2, streams.values[i].route);
        }
        streams.clear();
      }
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
    reset(HTTP1, route);
  }

  private void reset(int protocol, String route) {
    window.reset(protocol, route);
  }

  /** One finished HTTP/1.1 request. */
  public void record(
      String method, String route, int status, long nanos, long bytesIn, long bytesOut) {
    record(HTTP1, method, route, status, nanos, bytesIn, bytesOut);
  }

  /** One finished request over {@code protocol} ({@link #HTTP1} or {@link #H2}). */
  public void record(
      int protocol,
      String method,
      String route,
      int status,
      long nanos,
      long bytesIn,
      long bytesOut) {
    RouteWatch rw = routeWatch;
    if (rw != null && watchedRoutes.contains(route)) {
      try {
        rw.answered(route, status, bytesOut);
      } catch (RuntimeException e) {
        // a watch must not cost the request its record
      }
    }
    window.record(protocol, route, status, nanos, bytesIn, bytesOut);
    meters.record(protocol, methodIndex(method), route, status, nanos);
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

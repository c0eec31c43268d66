package dev.nova.core.http;

import dev.nova.core.diagnosis.NovaClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request health for runbook scenario 1: every finished request (method, route, status, latency,
 * bytes) goes into the contract's meters and into a sliding window of {@link #SLICES} time slices
 * per route, which the detectors and {@code signals.http} read. Requests are told to it by the
 * Netty instrumentation, the library's Netty handler and the JDK server filter, through {@link
 * Conn} (one per connection, used by that connection's thread only) or {@link #record}.
 */
public final class HttpTracker {
  static final int SLICES = 12;
  static final int MAX_INFLIGHT_PER_CONN = 64;
  static final Duration[] SLO = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
  };
  private static final String[] METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER"
  };

  /**
   * One route's meters, found by an int key ({@code method index * 1000 + status}) in a small
   * copy-on-write array: a route sees few method and status pairs, and a request builds no key.
   */
  private static final class RouteMeters {
    private volatile int[] keys = new int[0];
    private volatile Object[] meters = new Object[0];

    Object get(int key) {
      int[] k = keys;
      Object[] m = meters;
      for (int i = 0; i < k.length && i < m.length; i++) {
        if (k[i] == key) {
          return m[i];
        }
      }
      return null;
    }

    synchronized Object add(int key, java.util.function.Supplier<Object> make) {
      Object found = get(key);
      if (found != null) {
        return found;
      }
      Object made = make.get();
      Object[] m = java.util.Arrays.copyOf(meters, meters.length + 1);
      int[] k = java.util.Arrays.copyOf(keys, keys.length + 1);
      m[m.length - 1] = made;
      k[k.length - 1] = key;
      meters = m; // meters first: a reader that sees the new keys sees the new meters too
      keys = k;
      return made;
    }
  }

  /** Window counts of one route in one slice. */
  static final class RouteSlice {
    long requests;
    long errors;
    long slow;
    long resets;
    long bytesIn;
    long bytesOut;
    final Map<Integer, Long> statuses = new HashMap<>(4);
    final LatencyHistogram latency = new LatencyHistogram();
  }

  private static final class Slice {
    long start;
    long started;
    long connections;
    final Map<String, RouteSlice> routes = new HashMap<>();
  }

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

  private final NovaClock clock;
  private final Routes routes;
  private final MeterRegistry registry;
  private final long sliceNanos;
  private final long slowNanos;

  /**
   * The window is kept in stripes, each its own slices under its own lock, a request thread writing
   * to the stripe of its id: a servlet container's dozens of worker threads then rarely meet on one
   * monitor (one lock for all cost a busy Tomcat about a microsecond a request). {@link #window}
   * merges them.
   */
  private final Slice[][] stripes;

  static final int MAX_ROUTE_SLICES = SLICES * Routes.MAX_ROUTES;
  private final java.util.concurrent.atomic.AtomicInteger routeSlices =
      new java.util.concurrent.atomic.AtomicInteger();

  private final int stripeMask;
  private final Map<String, RouteMeters> timers = new ConcurrentHashMap<>();
  private final Map<String, RouteMeters> errorCounters = new ConcurrentHashMap<>();
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
    this.clock = clock;
    this.routes = routes;
    this.registry = registry;
    this.sliceNanos = Math.max(1, window.toNanos() / SLICES);
    this.slowNanos = slow.toNanos();
    int n =
        Integer.highestOneBit(
            Math.max(1, Math.min(8, 2 * Runtime.getRuntime().availableProcessors())));
    this.stripes = new Slice[n][SLICES];
    this.stripeMask = n - 1;
    for (Slice[] slices : stripes) {
      for (int i = 0; i < SLICES; i++) {
        slices[i] = new Slice();
        slices[i].start = Long.MIN_VALUE;
      }
    }
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
    Slice[] st = stripe();
    synchronized (st) {
      slice(st, clock.nanoTime()).connections++;
    }
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

  private static RouteMeters metersOf(Map<String, RouteMeters> byRoute, String route) {
    RouteMeters r = byRoute.get(route);
    return r != null ? r : byRoute.computeIfAbsent(route, k -> new RouteMeters());
  }

  /** This thread's stripe; lock it while writing to its slices. */
  private Slice[] stripe() {
    return stripes[(int) Thread.currentThread().getId() & stripeMask];
  }

  private Slice slice(Slice[] slices, long now) {
    long index = Math.floorDiv(now, sliceNanos);
    Slice s = slices[(int) Math.floorMod(index, (long) SLICES)];
    long start = index * sliceNanos;
    if (s.start != start) {
      s.start = start;
      s.started = 0;
      s.connections = 0;
      routeSlices.addAndGet(-s.routes.size());
      s.routes.clear();
    }
    return s;
  }

  /**
   * The route's figures in this slice of a stripe (the caller holds the stripe's lock). All stripes
   * together keep at most {@link #MAX_ROUTE_SLICES}, what one unstriped window would at the most:
   * past it a route new to a slice is counted under {@link Routes#OTHER} there.
   */
  private RouteSlice routeSlice(Slice s, String route) {
    RouteSlice r = s.routes.get(route);
    if (r != null) {
      return r;
    }
    String key = routeSlices.get() >= MAX_ROUTE_SLICES ? Routes.OTHER : route;
    r = s.routes.get(key);
    if (r == null) {
      r = new RouteSlice();
      s.routes.put(key, r);
      routeSlices.incrementAndGet();
    }
    return r;
  }

  /** Route figures kept in the window's slices, over all stripes. */
  public int routeSlices() {
    return routeSlices.get();
  }

  private void started() {
    Slice[] st = stripe();
    synchronized (st) {
      slice(st, clock.nanoTime()).started++;
    }
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
    Slice[] st = stripe();
    synchronized (st) {
      routeSlice(slice(st, clock.nanoTime()), route).resets++;
    }
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
    int mi = methodIndex(method);
    Slice[] st = stripe();
    synchronized (st) {
      RouteSlice r = routeSlice(slice(st, clock.nanoTime()), route);
      r.requests++;
      if (status >= 500) {
        r.errors++;
      }
      if (nanos >= slowNanos) {
        r.slow++;
      }
      r.bytesIn += bytesIn;
      r.bytesOut += Math.max(0, bytesOut); // -1: not known (a chunked servlet response)
      r.statuses.merge(status, 1L, Long::sum);
      r.latency.add(nanos);
    }
    RouteMeters rt = metersOf(timers, route);
    int key = mi * 1000 + status;
    Object t = rt.get(key);
    if (t == null) {
      t =
          rt.add(
              key,
              () ->
                  Timer.builder("nova.http.request.duration")
                      .description("HTTP requests from first byte in to last byte out")
                      .tag("method", METHODS[mi])
                      .tag("route", route)
                      .tag("status", Integer.toString(status))
                      .serviceLevelObjectives(SLO)
                      .register(registry));
    }
    ((Timer) t).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (status >= 500) {
      RouteMeters re = metersOf(errorCounters, route);
      Object c = re.get(status);
      if (c == null) {
        c =
            re.add(
                status,
                () ->
                    Counter.builder("nova.http.errors")
                        .description("HTTP responses with a 5xx status")
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .register(registry));
      }
      ((Counter) c).increment();
    }
  }

  /** The window now: totals and per route. */
  public Window window() {
    long now = clock.nanoTime();
    long from = Math.floorDiv(now, sliceNanos) * sliceNanos - (SLICES - 1) * sliceNanos;
    Window w = new Window();
    long oldest = Long.MAX_VALUE;
    for (Slice[] slices : stripes) {
      synchronized (slices) {
        for (Slice s : slices) {
          if (s.start == Long.MIN_VALUE || s.start < from || s.start > now) {
            if (s.start != Long.MIN_VALUE && s.start < from && !s.routes.isEmpty()) {
              // out of the window: a quiet stripe's old figures give their room back now
              routeSlices.addAndGet(-s.routes.size());
              s.routes.clear();
            }
            continue;
          }
          oldest = Math.min(oldest, s.start);
          w.started += s.started;
          w.connections += s.connections;
          for (Map.Entry<String, RouteSlice> e : s.routes.entrySet()) {
            RouteSlice t = w.routes.computeIfAbsent(e.getKey(), k -> new RouteSlice());
            RouteSlice r = e.getValue();
            t.requests += r.requests;
            t.errors += r.errors;
            t.slow += r.slow;
            t.resets += r.resets;
            t.bytesIn += r.bytesIn;
            t.bytesOut += r.bytesOut;
            r.statuses.forEach((k, v) -> t.statuses.merge(k, v, Long::sum));
            t.latency.addAll(r.latency);
          }
        }
      }
    }
    for (RouteSlice r : w.routes.values()) {
      w.requests += r.requests;
      w.errors += r.errors;
      w.slow += r.slow;
      w.resets += r.resets;
      w.all.addAll(r.latency);
    }
    w.seconds = oldest == Long.MAX_VALUE ? 0 : Math.max(1e-3, (now - oldest) / 1e9);
    return w;
  }

  public long slowNanos() {
    return slowNanos;
  }

  /** Totals and routes over the window. */
  public static final class Window {
    long started;
    long connections;
    long requests;
    long errors;
    long slow;
    long resets;
    double seconds;
    final LatencyHistogram all = new LatencyHistogram();
    final Map<String, RouteSlice> routes = new HashMap<>();

    public long requests() {
      return requests;
    }

    public long errors() {
      return errors;
    }

    public double errorShare() {
      return requests == 0 ? 0 : (double) errors / requests;
    }

    /** Routes ordered by a measure, most first. */
    List<Map.Entry<String, RouteSlice>> routesBy(java.util.function.ToLongFunction<RouteSlice> f) {
      List<Map.Entry<String, RouteSlice>> out = new ArrayList<>(routes.entrySet());
      out.sort((a, b) -> Long.compare(f.applyAsLong(b.getValue()), f.applyAsLong(a.getValue())));
      return out;
    }
  }

  /** {@code signals.http}. */
  public Map<String, Object> snapshot() {
    Window w = window();
    if (w.requests == 0 && w.started == 0 && w.connections == 0) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("servers", servers());
    m.put("windowSeconds", Math.round(w.seconds));
    m.put("requests", w.requests);
    m.put("requestsPerSecond", round(w.requests / Math.max(w.seconds, 1)));
    m.put("errors5xx", w.errors);
    m.put("errorShare", round(w.errorShare()));
    m.put("slow", w.slow);
    m.put("resetMidRequest", w.resets);
    m.put("connections", w.connections);
    m.put("p50Ms", round(w.all.quantileMs(0.5)));
    m.put("p95Ms", round(w.all.quantileMs(0.95)));
    m.put("p99Ms", round(w.all.quantileMs(0.99)));
    List<Object> rows = new ArrayList<>();
    for (Map.Entry<String, RouteSlice> e : w.routesBy(r -> r.requests)) {
      if (rows.size() == 20) {
        break;
      }
      rows.add(routeRow(e.getKey(), e.getValue()));
    }
    m.put("routes", rows);
    return m;
  }

  static Map<String, Object> routeRow(String route, RouteSlice r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("route", route);
    row.put("requests", r.requests);
    row.put("errors5xx", r.errors);
    row.put("errorShare", r.requests == 0 ? 0.0 : round((double) r.errors / r.requests));
    Map<String, Long> statuses = new java.util.TreeMap<>();
    r.statuses.forEach((k, v) -> statuses.put(Integer.toString(k), v));
    row.put("statuses", statuses);
    row.put("p50Ms", round(r.latency.quantileMs(0.5)));
    row.put("p95Ms", round(r.latency.quantileMs(0.95)));
    row.put("p99Ms", round(r.latency.quantileMs(0.99)));
    row.put("maxMs", round(r.latency.maxNanos / 1e6));
    row.put("slow", r.slow);
    row.put("resetMidRequest", r.resets);
    row.put("bytesIn", r.bytesIn);
    row.put("bytesOut", r.bytesOut);
    return row;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}

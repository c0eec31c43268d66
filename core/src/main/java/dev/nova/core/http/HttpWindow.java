package dev.nova.core.http;

import dev.nova.core.diagnosis.NovaClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sliding window of request figures that the HTTP detectors and {@code signals.http} read:
 * {@link #SLICES} time slices, each with per-route counts, statuses and a latency histogram.
 *
 * <p>It is kept in stripes, each its own slices under its own lock, a request thread writing to the
 * stripe of its id: a servlet container's dozens of worker threads then rarely meet on one monitor
 * (one lock for all cost a busy Tomcat about a microsecond a request). The lock stays because a
 * slice's figures are reset when its time comes round again, which counters alone could not do
 * atomically with the writes; uncontended, it costs a few nanoseconds. {@link #window} merges the
 * stripes.
 */
final class HttpWindow {
  static final int SLICES = 12;
  static final int MAX_ROUTE_SLICES = SLICES * Routes.MAX_ROUTES;

  /** Window counts of one route in one slice, or merged over the window. */
  static final class RouteSlice {
    long requests;
    long errors;
    long slow;
    long resets;
    long bytesIn;
    long bytesOut;
    final StatusCounts statuses = new StatusCounts();
    final LatencyHistogram latency = new LatencyHistogram();
  }

  private static final class Slice {
    long start;
    long started;
    long connections;
    final long[] byProtocol = new long[3 * HttpTracker.PROTOCOLS.length]; // requests, 5xx, resets
    final Map<String, RouteSlice> routes = new HashMap<>();
  }

  /** Totals and routes over the window. */
  public static final class Window {
    long started;
    long connections;
    final long[] byProtocol = new long[3 * HttpTracker.PROTOCOLS.length]; // requests, 5xx, resets
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

  private final NovaClock clock;
  private final long sliceNanos;
  private final long slowNanos;
  private final Slice[][] stripes;
  private final int stripeMask;
  private final AtomicInteger routeSlices = new AtomicInteger();

  HttpWindow(NovaClock clock, Duration window, Duration slow) {
    this.clock = clock;
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

  long slowNanos() {
    return slowNanos;
  }

  /** Route figures kept in the window's slices, over all stripes. */
  int routeSlices() {
    return routeSlices.get();
  }

  void connection() {
    Slice[] st = stripe();
    synchronized (st) {
      slice(st, clock.nanoTime()).connections++;
    }
  }

  void started() {
    Slice[] st = stripe();
    synchronized (st) {
      slice(st, clock.nanoTime()).started++;
    }
  }

  void reset(int protocol, String route) {
    Slice[] st = stripe();
    synchronized (st) {
      Slice s = slice(st, clock.nanoTime());
      routeSlice(s, route).resets++;
      s.byProtocol[3 * protocol + 2]++;
    }
  }

  /** One finished request; {@code bytesOut} -1 where it is not known (a chunked response). */
  void record(int protocol, String route, int status, long nanos, long bytesIn, long bytesOut) {
    Slice[] st = stripe();
    synchronized (st) {
      Slice s = slice(st, clock.nanoTime());
      RouteSlice r = routeSlice(s, route);
      r.requests++;
      s.byProtocol[3 * protocol]++;
      if (status >= 500) {
        r.errors++;
        s.byProtocol[3 * protocol + 1]++;
      }
      if (nanos >= slowNanos) {
        r.slow++;
      }
      r.bytesIn += bytesIn;
      r.bytesOut += Math.max(0, bytesOut);
      r.statuses.add(status, 1);
      r.latency.add(nanos);
    }
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
      java.util.Arrays.fill(s.byProtocol, 0);
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

  /** The window now: totals and per route, over every stripe. */
  Window window() {
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
          for (int i = 0; i < s.byProtocol.length; i++) {
            w.byProtocol[i] += s.byProtocol[i];
          }
          for (Map.Entry<String, RouteSlice> e : s.routes.entrySet()) {
            RouteSlice t = w.routes.computeIfAbsent(e.getKey(), k -> new RouteSlice());
            RouteSlice r = e.getValue();
            t.requests += r.requests;
            t.errors += r.errors;
            t.slow += r.slow;
            t.resets += r.resets;
            t.bytesIn += r.bytesIn;
            t.bytesOut += r.bytesOut;
            t.statuses.addAll(r.statuses);
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
}

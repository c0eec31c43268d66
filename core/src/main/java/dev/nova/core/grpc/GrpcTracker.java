package dev.nova.core.grpc;

import dev.nova.core.bridge.GrpcBridge;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.http.LatencyHistogram;
import dev.nova.core.meter.Meters;
import dev.nova.core.util.WeakIdentityMap;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * gRPC server calls (runbook scenario 1 between services): each call from its start to its close
 * with its status code, by service and method, into {@code nova_grpc_server_duration_seconds}, the
 * open streaming calls into {@code nova_grpc_server_streams}, and a sliding window of calls by
 * method and code that {@code GRPC_ERROR_RATE} and {@code signals.grpc} read. Calls are keyed by
 * gRPC's own call object, held weakly, at most {@link #MAX_IN_FLIGHT} at once.
 */
public final class GrpcTracker implements GrpcBridge.Sink {
  static final int SLICES = 12;
  static final int MAX_IN_FLIGHT = 10_000;
  static final int MAX_METHODS = 200;
  static final String OTHER = "(other)";

  /** The codes the runbook's 5xx bands count for gRPC: the server or the path failed. */
  static final java.util.Set<String> ERRORS =
      java.util.Set.of("UNKNOWN", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "DEADLINE_EXCEEDED");

  /** The failing codes, sorted (the dashboard's and the finding's list). */
  public static List<String> errorCodes() {
    return List.copyOf(new java.util.TreeSet<>(ERRORS));
  }

  /**
   * One method of the service, named once: its key in the window ("service/method"), its timers by
   * code and its open-streams gauge, so a call's end builds no string.
   */
  private static final class Method {
    final String service;
    final String method;
    final String key;
    final Map<String, Timer> timers = new ConcurrentHashMap<>();
    volatile AtomicInteger streams;

    Method(String service, String method) {
      this.service = service;
      this.method = method;
      this.key = service + "/" + method;
    }
  }

  /** One call in flight. */
  private static final class Call {
    final Method method;
    final boolean streaming;
    final long start;

    Call(Method method, boolean streaming, long start) {
      this.method = method;
      this.streaming = streaming;
      this.start = start;
    }
  }

  /** One method's figures in a slice, or merged over the window. */
  static final class MethodSlice {
    long calls;
    long errors;
    final Map<String, Long> byCode = new TreeMap<>();
    final LatencyHistogram latency = new LatencyHistogram();
  }

  private static final class Slice {
    long start = Long.MIN_VALUE;
    final Map<String, MethodSlice> methods = new HashMap<>();
  }

  /** The window: totals and methods ("service/method"). */
  public static final class Window {
    long calls;
    long errors;
    double seconds;
    final Map<String, MethodSlice> methods = new HashMap<>();
    final Map<String, Long> byCode = new TreeMap<>();
  }

  private final NovaClock clock;
  private final MeterRegistry registry;
  private final long sliceNanos;
  private final Slice[] slices = new Slice[SLICES];
  private final WeakIdentityMap<Object, Call> inFlight = new WeakIdentityMap<>(MAX_IN_FLIGHT);

  /** The methods seen, by gRPC's full method name; at most {@link #MAX_METHODS}, then "(other)". */
  private final Map<String, Method> methods = new ConcurrentHashMap<>();

  private final AtomicInteger methodCount = new AtomicInteger();
  private final Method other = new Method(OTHER, OTHER);

  public GrpcTracker(NovaClock clock, MeterRegistry registry, Duration window) {
    this.clock = clock;
    this.registry = registry;
    this.sliceNanos = Math.max(1, window.toNanos() / SLICES);
    for (int i = 0; i < SLICES; i++) {
      slices[i] = new Slice();
    }
  }

  /** Calls in flight now, for Nova's bounded-structure accounting. */
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public void started(Object call, String fullMethod, String type, long now) {
    Method m = method(fullMethod == null ? "" : fullMethod);
    boolean streaming = type != null && !type.equals("UNARY");
    if (!inFlight.putIfRoom(call, new Call(m, streaming, now))) {
      return; // over the bound: this call is not followed
    }
    if (streaming) {
      streams(m).incrementAndGet();
    }
  }

  /**
   * The method of this full name, made on its first call while there is room (a count, no race).
   */
  private Method method(String fullMethod) {
    Method m = methods.get(fullMethod);
    if (m != null) {
      return m;
    }
    if (methodCount.incrementAndGet() > MAX_METHODS) {
      methodCount.decrementAndGet();
      return other;
    }
    int slash = fullMethod.lastIndexOf('/');
    Method fresh =
        slash < 0
            ? new Method(fullMethod, "")
            : new Method(fullMethod.substring(0, slash), fullMethod.substring(slash + 1));
    Method prior = methods.putIfAbsent(fullMethod, fresh);
    if (prior != null) {
      methodCount.decrementAndGet();
      return prior;
    }
    return fresh;
  }

  @Override
  public void closed(Object call, String code, long now) {
    end(call, code, now);
  }

  @Override
  public void streamClosed(Object call, String code, long now) {
    end(call, code, now);
  }

  private void end(Object call, String status, long now) {
    String code = status == null ? "UNKNOWN" : status;
    Call c = inFlight.remove(call);
    if (c == null) {
      return; // ended already (the server's close, then its stream's), or never followed
    }
    if (c.streaming) {
      streams(c.method).decrementAndGet();
    }
    long nanos = Math.max(0, now - c.start);
    timer(c.method, code).record(nanos, TimeUnit.NANOSECONDS);
    synchronized (slices) {
      MethodSlice m =
          slice(clock.nanoTime()).methods.computeIfAbsent(c.method.key, k -> new MethodSlice());
      m.calls++;
      if (ERRORS.contains(code)) {
        m.errors++;
      }
      m.byCode.merge(code, 1L, Long::sum);
      m.latency.add(nanos);
    }
  }

  private AtomicInteger streams(Method m) {
    AtomicInteger n = m.streams;
    if (n == null) {
      synchronized (m) {
        n = m.streams;
        if (n == null) {
          n = new AtomicInteger();
          Gauge.builder(Meters.GRPC_SERVER_STREAMS.name(), n, AtomicInteger::get)
              .description(Meters.GRPC_SERVER_STREAMS.description())
              .tag("service", m.service)
              .tag("method", m.method)
              .register(registry);
          m.streams = n;
        }
      }
    }
    return n;
  }

  private Timer timer(Method m, String code) {
    Timer t = m.timers.get(code);
    if (t == null) {
      t =
          m.timers.computeIfAbsent(
              code,
              k ->
                  Timer.builder(Meters.GRPC_SERVER_DURATION.name())
                      .description(Meters.GRPC_SERVER_DURATION.description())
                      .tag("service", m.service)
                      .tag("method", m.method)
                      .tag("code", code)
                      .serviceLevelObjectives(dev.nova.core.http.HttpMeters.SLO)
                      .register(registry));
    }
    return t;
  }

  private Slice slice(long now) {
    long index = Math.floorDiv(now, sliceNanos);
    Slice s = slices[(int) Math.floorMod(index, (long) SLICES)];
    long start = index * sliceNanos;
    if (s.start != start) {
      s.start = start;
      s.methods.clear();
    }
    return s;
  }

  /** The window now. */
  public Window window() {
    long now = clock.nanoTime();
    long from = Math.floorDiv(now, sliceNanos) * sliceNanos - (SLICES - 1) * sliceNanos;
    Window w = new Window();
    long oldest = Long.MAX_VALUE;
    synchronized (slices) {
      for (Slice s : slices) {
        if (s.start == Long.MIN_VALUE || s.start < from || s.start > now) {
          continue;
        }
        oldest = Math.min(oldest, s.start);
        for (Map.Entry<String, MethodSlice> e : s.methods.entrySet()) {
          MethodSlice t = w.methods.computeIfAbsent(e.getKey(), k -> new MethodSlice());
          MethodSlice m = e.getValue();
          t.calls += m.calls;
          t.errors += m.errors;
          m.byCode.forEach((k, v) -> t.byCode.merge(k, v, Long::sum));
          t.latency.addAll(m.latency);
        }
      }
    }
    for (MethodSlice m : w.methods.values()) {
      w.calls += m.calls;
      w.errors += m.errors;
      m.byCode.forEach((k, v) -> w.byCode.merge(k, v, Long::sum));
    }
    w.seconds = oldest == Long.MAX_VALUE ? 0 : Math.max(1e-3, (now - oldest) / 1e9);
    return w;
  }

  /** {@code signals.grpc}, or null before the first call. */
  public Map<String, Object> snapshot() {
    Window w = window();
    int open = 0;
    for (Method method : methods.values()) {
      AtomicInteger n = method.streams;
      open += n == null ? 0 : n.get();
    }
    AtomicInteger others = other.streams;
    open += others == null ? 0 : others.get();
    if (w.calls == 0 && open == 0 && inFlight.size() == 0) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("windowSeconds", Math.round(w.seconds));
    m.put("calls", w.calls);
    m.put("errors", w.errors);
    m.put("errorShare", w.calls == 0 ? 0.0 : round((double) w.errors / w.calls));
    m.put("openStreams", open);
    m.put("inFlight", inFlight.size());
    m.put("byCode", new TreeMap<>(w.byCode));
    List<Map<String, Object>> methods = new ArrayList<>();
    for (Map.Entry<String, MethodSlice> e : sorted(w)) {
      if (methods.size() == 20) {
        break;
      }
      methods.add(row(e.getKey(), e.getValue()));
    }
    m.put("methods", methods);
    return m;
  }

  static List<Map.Entry<String, MethodSlice>> sorted(Window w) {
    List<Map.Entry<String, MethodSlice>> out = new ArrayList<>(w.methods.entrySet());
    out.sort((a, b) -> Long.compare(b.getValue().calls, a.getValue().calls));
    return out;
  }

  static Map<String, Object> row(String key, MethodSlice s) {
    Map<String, Object> r = new LinkedHashMap<>();
    int slash = key.lastIndexOf('/');
    r.put("service", key.substring(0, slash));
    r.put("method", key.substring(slash + 1));
    r.put("calls", s.calls);
    r.put("errors", s.errors);
    r.put("p95Ms", round(s.latency.quantileMs(0.95)));
    String busiest = null;
    long most = -1;
    for (Map.Entry<String, Long> e : s.byCode.entrySet()) {
      if (!e.getKey().equals("OK") && e.getValue() > most) {
        most = e.getValue();
        busiest = e.getKey();
      }
    }
    r.put("busiestStatus", busiest == null ? "OK" : busiest);
    r.put("byCode", new TreeMap<>(s.byCode));
    return r;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}

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

  /** One call in flight. */
  private static final class Call {
    final String service;
    final String method;
    final boolean streaming;
    final long start;
    String closedCode;
    boolean ended;

    Call(String service, String method, boolean streaming, long start) {
      this.service = service;
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
  private final Map<String, AtomicInteger> openStreams = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final java.util.Set<String> methodNames = ConcurrentHashMap.newKeySet();

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
    String service = fullMethod;
    String method = "";
    int slash = fullMethod == null ? -1 : fullMethod.lastIndexOf('/');
    if (slash >= 0) {
      service = fullMethod.substring(0, slash);
      method = fullMethod.substring(slash + 1);
    }
    String key = service + "/" + method;
    if (!methodNames.contains(key)) {
      if (methodNames.size() >= MAX_METHODS) {
        service = OTHER;
        method = OTHER;
      } else {
        methodNames.add(key);
      }
    }
    boolean streaming = type != null && !type.equals("UNARY");
    Call c = new Call(service, method, streaming, now);
    if (!inFlight.putIfRoom(call, c)) {
      return; // over the bound: this call is not followed
    }
    if (streaming) {
      streams(service, method).incrementAndGet();
    }
  }

  @Override
  public void closed(Object call, String code, long now) {
    end(call, code, now);
  }

  @Override
  public void streamClosed(Object call, String code, long now) {
    end(call, code, now);
  }

  private void end(Object call, String code, long now) {
    Call c = inFlight.remove(call);
    if (c == null) {
      return; // ended already (the server's close, then its stream's), or never followed
    }
    if (c.streaming) {
      streams(c.service, c.method).decrementAndGet();
    }
    long nanos = Math.max(0, now - c.start);
    timer(c.service, c.method, code).record(nanos, TimeUnit.NANOSECONDS);
    synchronized (slices) {
      MethodSlice m =
          slice(clock.nanoTime())
              .methods
              .computeIfAbsent(c.service + "/" + c.method, k -> new MethodSlice());
      m.calls++;
      if (ERRORS.contains(code)) {
        m.errors++;
      }
      m.byCode.merge(code, 1L, Long::sum);
      m.latency.add(nanos);
    }
  }

  private AtomicInteger streams(String service, String method) {
    return openStreams.computeIfAbsent(
        service + "/" + method,
        k -> {
          AtomicInteger n = new AtomicInteger();
          Gauge.builder(Meters.GRPC_SERVER_STREAMS.name(), n, AtomicInteger::get)
              .description(Meters.GRPC_SERVER_STREAMS.description())
              .tag("service", service)
              .tag("method", method)
              .register(registry);
          return n;
        });
  }

  private Timer timer(String service, String method, String code) {
    String key = service + "/" + method + "/" + code;
    Timer t = timers.get(key);
    if (t == null) {
      t =
          timers.computeIfAbsent(
              key,
              k ->
                  Timer.builder(Meters.GRPC_SERVER_DURATION.name())
                      .description(Meters.GRPC_SERVER_DURATION.description())
                      .tag("service", service)
                      .tag("method", method)
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
    for (AtomicInteger n : openStreams.values()) {
      open += n.get();
    }
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

package dev.nova.core.history;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.FindingCodes;
import dev.nova.core.meter.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /debug/nova/history}: the samples behind a page's plots, one every {@code
 * history.interval} (10 s) for the last {@link #KEPT_FOR}, read off Nova's own meters (what
 * Prometheus would scrape): heap after GC and its maximum, live threads, GC and CPU shares, HTTP
 * rate, 5xx share and p95 in all and for the five busiest routes, gRPC calls, failing share, p95
 * and streams open, WebSocket sessions open and disconnects by close code, pools active, idle and
 * waiting, the findings by code, and while {@code THREAD_LEAK} holds the live threads of its five
 * largest creation sites. A bounded ring (an hour of samples, at most {@link #MAX_CAPACITY}), kept
 * {@link Packed} (under 2 KiB a sample at the largest: about {@code approxBytes} in the view),
 * counted in {@code agent.trackedObjects}; taken on the detector thread, nothing on the host's.
 */
public final class HistoryArea implements Area {
  static final Duration KEPT_FOR = Duration.ofHours(1);
  static final int MAX_CAPACITY = 360; // an hour at the default interval; less at shorter ones
  static final int TOP = 5;
  private static final java.util.Set<String> GRPC_ERRORS =
      java.util.Set.copyOf(dev.nova.core.grpc.GrpcTracker.errorCodes());

  private Duration every = Duration.ofSeconds(10);
  private int capacity = 360;

  private final Deque<Packed> samples = new ArrayDeque<>();
  private final Map<String, Double> last =
      new HashMap<>(); // cumulative counters at the last sample
  private Map<Double, Double> lastBuckets = new TreeMap<>();
  private Map<String, Map<Double, Double>> lastRouteBuckets = new HashMap<>();
  private Map<Double, Double> lastGrpcBuckets = new TreeMap<>();
  private long lastAt = Long.MIN_VALUE;
  private long lastCpu = -1;
  private volatile Map<String, Object> threadSites; // THREAD_LEAK's sites at the last round

  @Override
  public String name() {
    return "history";
  }

  @Override
  public void install(Wiring w) {
    MeterRegistry registry = w.ownRegistry(); // read back from Nova's registry, not a composite
    every = w.config().get(dev.nova.core.config.Options.HISTORY_INTERVAL);
    capacity = (int) Math.min(MAX_CAPACITY, Math.max(1, KEPT_FOR.toMillis() / every.toMillis()));
    w.health().track("history-samples", this::size, 1024);
    w.detector(
        new Detector() {
          @Override
          public String name() {
            return "history";
          }

          @Override
          public List<Finding> evaluate(NovaClock clock) {
            sampleIfDue(registry, clock);
            return List.of();
          }
        });
    w.onFindings(this::heldNow);
    w.view("history", this::view);
  }

  /**
   * After each round: while {@code THREAD_LEAK} holds, its live threads by creation site (the five
   * largest), for the next sample; the page plots them beside the total.
   */
  void heldNow(List<Finding> held) {
    Map<String, Object> sites = null;
    for (Finding f : held) {
      if (f.code().equals(FindingCode.THREAD_LEAK.code())
          && f.evidence().get("byCreationSite") instanceof List<?> list) {
        sites = new LinkedHashMap<>();
        for (Object o : list) {
          if (o instanceof Evidence e
              && e.get("startedAt") instanceof String at
              && e.number("liveThreads") != null
              && sites.size() < TOP) {
            sites.put(at, e.number("liveThreads").intValue());
          }
        }
      }
    }
    threadSites = sites;
  }

  private synchronized long size() {
    return samples.size();
  }

  synchronized void sampleIfDue(MeterRegistry registry, NovaClock clock) {
    long now = clock.nanoTime();
    if (lastAt != Long.MIN_VALUE && now - lastAt < every.toNanos()) {
      return;
    }
    double seconds = lastAt == Long.MIN_VALUE ? 0 : (now - lastAt) / 1e9;
    lastAt = now;
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("t", clock.now().toEpochMilli());
    s.put("heapAfterGcBytes", gauge(registry, Meters.HEAP_AFTER_GC.name()));
    s.put("heapMaxBytes", gauge(registry, Meters.HEAP_MAX.name()));
    s.put("threadsLive", gauge(registry, Meters.THREADS_LIVE.name()));
    Map<String, Object> sites = threadSites;
    if (sites != null) {
      s.put("threadsBySite", sites);
    }
    double gcSeconds = counter(registry, Meters.GC_TIME.name());
    s.put("gcShare", rate("gc", gcSeconds, seconds));
    s.put("cpuShare", cpu(now, seconds));
    http(registry, s, seconds);
    grpc(registry, s, seconds);
    ws(registry, s, seconds);
    pools(registry, s);
    Map<String, Object> findings = new TreeMap<>();
    for (FindingCodes.Code c : FindingCodes.all()) {
      Double v = gauge(registry, Meters.FINDING_SEVERITY.name(), "code", c.code());
      if (v != null && v > 0) {
        findings.put(c.code(), v.intValue());
      }
    }
    s.put("findings", findings);
    samples.addLast(Packed.of(s, samples.peekLast()));
    while (samples.size() > capacity) {
      samples.removeFirst();
    }
  }

  private Double rate(String key, double cumulative, double seconds) {
    Double before = last.put(key, cumulative);
    if (before == null || seconds <= 0 || cumulative < before) {
      return null;
    }
    return round((cumulative - before) / seconds);
  }

  private Double cpu(long now, double seconds) {
    long cpu = dev.nova.core.util.Cpu.processNanos();
    long before = lastCpu;
    lastCpu = cpu;
    if (before < 0 || cpu < 0 || seconds <= 0) {
      return null;
    }
    return round((cpu - before) / 1e9 / seconds / Runtime.getRuntime().availableProcessors());
  }

  private void http(MeterRegistry registry, Map<String, Object> s, double seconds) {
    Map<String, double[]> byRoute = new HashMap<>(); // {requests, errors}
    Map<String, Map<Double, Double>> routeBuckets = new HashMap<>();
    Map<Double, Double> buckets = new TreeMap<>();
    double requests = 0;
    double errors = 0;
    for (Timer t : registry.find(Meters.HTTP_REQUEST_DURATION.name()).timers()) {
      String route = String.valueOf(t.getId().getTag("route"));
      String status = String.valueOf(t.getId().getTag("status"));
      var snap = t.takeSnapshot();
      double n = snap.count();
      double[] r = byRoute.computeIfAbsent(route, k -> new double[2]);
      r[0] += n;
      requests += n;
      if (status.startsWith("5")) {
        r[1] += n;
        errors += n;
      }
      Map<Double, Double> rb = routeBuckets.computeIfAbsent(route, k -> new TreeMap<>());
      for (CountAtBucket b : snap.histogramCounts()) {
        buckets.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
        rb.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
      }
    }
    Double dReq = delta("http.requests", requests);
    Double dErr = delta("http.errors", errors);
    if (requests == 0) {
      // no request ever seen (or no HTTP server at all): no figure, rather than a rate of 0
      dReq = null;
    }
    s.put("httpRequestsPerSecond", dReq == null || seconds <= 0 ? null : round(dReq / seconds));
    s.put("httpErrorShare", dReq == null || dReq == 0 ? null : round(dErr / dReq));
    s.put("httpP95Ms", p95(buckets, lastBuckets));
    lastBuckets = buckets;
    // every route's change since the last sample (a route first seen since then started at 0),
    // the busiest in this interval shown
    Map<String, double[]> changed = new HashMap<>();
    for (Map.Entry<String, double[]> e : byRoute.entrySet()) {
      Double rq = routeDelta("route.req." + e.getKey(), e.getValue()[0], seconds > 0);
      Double er = routeDelta("route.err." + e.getKey(), e.getValue()[1], seconds > 0);
      changed.put(e.getKey(), new double[] {rq == null ? -1 : rq, er == null ? 0 : er});
    }
    List<Map.Entry<String, double[]>> busiest = new ArrayList<>(changed.entrySet());
    busiest.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
    Map<String, Object> routes = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : busiest.subList(0, Math.min(TOP, busiest.size()))) {
      Double rq = e.getValue()[0] < 0 ? null : e.getValue()[0];
      double er = e.getValue()[1];
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("requestsPerSecond", rq == null || seconds <= 0 ? null : round(rq / seconds));
      r.put("errorShare", rq == null || rq == 0 ? null : round(er / rq));
      r.put(
          "p95Ms",
          p95(routeBuckets.get(e.getKey()), lastRouteBuckets.getOrDefault(e.getKey(), Map.of())));
      routes.put(e.getKey(), r);
    }
    lastRouteBuckets = routeBuckets;
    s.put("httpRoutes", routes);
  }

  /**
   * gRPC server calls: a second, the share ending in a failing code ({@code GRPC_ERROR_RATE}'s),
   * their p95, and the streaming calls open; null until a call has been seen.
   */
  private void grpc(MeterRegistry registry, Map<String, Object> s, double seconds) {
    Map<Double, Double> buckets = new TreeMap<>();
    double calls = 0;
    double errors = 0;
    for (Timer t : registry.find(Meters.GRPC_SERVER_DURATION.name()).timers()) {
      var snap = t.takeSnapshot();
      calls += snap.count();
      if (GRPC_ERRORS.contains(String.valueOf(t.getId().getTag("code")))) {
        errors += snap.count();
      }
      for (CountAtBucket b : snap.histogramCounts()) {
        buckets.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
      }
    }
    Double dCalls = delta("grpc.calls", calls);
    Double dErr = delta("grpc.errors", errors);
    double open = 0;
    boolean streams = false;
    for (Gauge g : registry.find(Meters.GRPC_SERVER_STREAMS.name()).gauges()) {
      open += g.value();
      streams = true;
    }
    if (calls == 0 && !streams) {
      return; // no gRPC server here, or no call yet: no figures at all
    }
    s.put("grpcCallsPerSecond", dCalls == null || seconds <= 0 ? null : round(dCalls / seconds));
    s.put("grpcErrorShare", dCalls == null || dCalls == 0 ? null : round(dErr / dCalls));
    s.put("grpcP95Ms", p95(buckets, lastGrpcBuckets));
    lastGrpcBuckets = buckets;
    s.put("grpcStreamsOpen", streams ? open : null);
  }

  /** The p95 of the requests between two cumulative bucket sets; null when there were none. */
  static Double p95(Map<Double, Double> now, Map<Double, Double> before) {
    if (now == null) {
      return null;
    }
    TreeMap<Double, Double> d = new TreeMap<>();
    now.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
    if (d.isEmpty()) {
      return null;
    }
    double total = d.lastEntry().getValue();
    if (total <= 0) {
      return null;
    }
    for (Map.Entry<Double, Double> e : d.entrySet()) {
      if (e.getValue() >= total * 0.95) {
        return e.getKey();
      }
    }
    return d.lastKey();
  }

  private Double routeDelta(String key, double cumulative, boolean sampledBefore) {
    Double before = last.put(key, cumulative);
    if (before == null) {
      return sampledBefore ? cumulative : null;
    }
    return cumulative < before ? null : cumulative - before;
  }

  private Double delta(String key, double cumulative) {
    Double before = last.put(key, cumulative);
    if (before == null || cumulative < before) {
      return null;
    }
    return cumulative - before;
  }

  private void ws(MeterRegistry registry, Map<String, Object> s, double seconds) {
    double open = 0;
    boolean any = false;
    for (Gauge g : registry.find(Meters.WS_CONNECTIONS.name()).gauges()) {
      open += g.value();
      any = true;
    }
    s.put("wsOpen", any ? open : null);
    Map<String, Double> byCode = new TreeMap<>();
    for (Counter c : registry.find(Meters.WS_DISCONNECTS.name()).counters()) {
      byCode.merge(String.valueOf(c.getId().getTag("code")), c.count(), Double::sum);
    }
    Map<String, Object> rates = new LinkedHashMap<>();
    int n = 0;
    for (Map.Entry<String, Double> e : byCode.entrySet()) {
      Double d = delta("ws." + e.getKey(), e.getValue());
      if (d != null && seconds > 0 && n++ < 8) {
        rates.put(e.getKey(), round(d / seconds));
      }
    }
    s.put("wsDisconnectsPerSecondByCode", rates);
  }

  private static void pools(MeterRegistry registry, Map<String, Object> s) {
    Map<String, Map<String, Object>> pools = new TreeMap<>();
    for (Meters.Meter m :
        List.of(Meters.POOL_ACTIVE, Meters.POOL_IDLE, Meters.POOL_WAITING, Meters.POOL_MAX)) {
      for (Gauge g : registry.find(m.name()).gauges()) {
        String pool = String.valueOf(g.getId().getTag("pool"));
        if (pools.size() < TOP || pools.containsKey(pool)) {
          pools
              .computeIfAbsent(pool, k -> new LinkedHashMap<>())
              .put(m.name().substring(m.name().lastIndexOf('.') + 1), g.value());
        }
      }
    }
    s.put("pools", pools);
  }

  private static Double gauge(MeterRegistry registry, String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    if (g == null) {
      return null;
    }
    double v = g.value();
    return Double.isNaN(v) ? null : v;
  }

  private static double counter(MeterRegistry registry, String name) {
    double total = 0;
    for (Meter m : registry.find(name).meters()) {
      if (m instanceof FunctionCounter fc) {
        total += fc.count();
      } else if (m instanceof Counter c) {
        total += c.count();
      }
    }
    return total;
  }

  private static Double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  /** The view: the interval, the capacity, and the samples, oldest first. */
  Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("intervalSeconds", every.toMillis() / 1000.0);
    m.put("capacity", capacity);
    List<Packed> samples;
    synchronized (this) { // the detector thread waits only for the copy, not for the unpacking
      samples = new ArrayList<>(this.samples);
    }
    List<Map<String, Object>> out = new ArrayList<>(samples.size());
    long bytes = 0;
    Packed prev = null;
    for (Packed p : samples) {
      out.add(p.unpack());
      bytes += p.bytes(prev);
      prev = p;
    }
    m.put("approxBytes", bytes);
    m.put("samples", out);
    return m;
  }
}

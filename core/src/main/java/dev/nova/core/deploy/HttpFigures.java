package dev.nova.core.deploy;

import dev.nova.core.meter.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * This run's HTTP figures since start, read off the contract's own meter ({@code
 * nova_http_request_duration_seconds}, cumulative, with buckets from 5 ms to 30 s): requests, 5xx,
 * and the p95 as the bucket bound that holds 95% of them, in all and per route.
 */
final class HttpFigures {
  static final int ROUTES = 5;

  private HttpFigures() {}

  private static final class Acc {
    long requests;
    long errors;
    final TreeMap<Double, Double> buckets = new TreeMap<>(); // bound ms -> cumulative count
    double max;

    void add(HistogramSnapshot s, boolean error) {
      requests += s.count();
      if (error) {
        errors += s.count();
      }
      for (CountAtBucket b : s.histogramCounts()) {
        buckets.merge(b.bucket(TimeUnit.MILLISECONDS), b.count(), Double::sum);
      }
      max = Math.max(max, s.max(TimeUnit.MILLISECONDS));
    }

    double p95() {
      if (requests == 0) {
        return 0;
      }
      double want = requests * 0.95;
      for (Map.Entry<Double, Double> b : buckets.entrySet()) {
        if (b.getValue() >= want) {
          return b.getKey();
        }
      }
      return Math.max(max, buckets.isEmpty() ? 0 : buckets.lastKey());
    }
  }

  /** Since start: totals, and the busiest routes. */
  static DeployState.Run read(
      MeterRegistry registry, String version, java.time.Instant started, long runSeconds) {
    Acc all = new Acc();
    Map<String, Acc> byRoute = new TreeMap<>();
    for (Timer t : registry.find(Meters.HTTP_REQUEST_DURATION.name()).timers()) {
      String route = t.getId().getTag("route");
      String status = t.getId().getTag("status");
      boolean error = status != null && status.startsWith("5");
      HistogramSnapshot s = t.takeSnapshot();
      all.add(s, error);
      byRoute.computeIfAbsent(route == null ? "?" : route, k -> new Acc()).add(s, error);
    }
    List<Map.Entry<String, Acc>> busiest = new ArrayList<>(byRoute.entrySet());
    busiest.sort((a, b) -> Long.compare(b.getValue().requests, a.getValue().requests));
    List<DeployState.Route> routes = new ArrayList<>();
    for (Map.Entry<String, Acc> e : busiest.subList(0, Math.min(ROUTES, busiest.size()))) {
      routes.add(
          new DeployState.Route(
              e.getKey(), e.getValue().requests, e.getValue().errors, e.getValue().p95()));
    }
    return new DeployState.Run(
        version, started, runSeconds, all.requests, all.errors, all.p95(), List.copyOf(routes));
  }
}

package dev.nova.core.metrics;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.meter.Meters;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runbook's "Prometheus metrics missing": {@code METRICS_MISSING} when Nova's own {@code
 * /debug/nova/metrics}, scraped at a steady interval, stops being scraped for more than three
 * intervals, or when one of the host's own metrics routes ({@code metrics.paths}, seen through
 * Nova's HTTP instrumentation) answers non-2xx on its last scrapes or stops being scraped the same
 * way. A scraper that never came is no finding: nothing says one should. Evidence: the endpoint,
 * the last scrape and how long ago, the interval seen, the scraper's address (Nova's own endpoint),
 * the recent statuses. LOW; MEDIUM when nothing has scraped for ten intervals.
 */
public final class MetricsArea implements Area {
  static final int KEPT = 16;
  static final int STEADY = 4;

  /**
   * A request answered on one of the host's metrics routes, as the HTTP area sees it: handed in by
   * the composition root, so this area needs nothing of the HTTP area's insides.
   */
  public interface Answered {
    void answered(String route, int status, long bytesOut);
  }

  private final java.util.function.BiConsumer<Set<String>, Answered> watchRoutes;
  private final io.micrometer.core.instrument.MeterRegistry hostRegistry;
  private final Watch own = new Watch("nova", "/debug/nova/metrics");
  private final Watch registryReads = new Watch("registry", "meter registry");
  private final Map<String, Watch> host = new LinkedHashMap<>();
  private volatile NovaClock clock = NovaClock.SYSTEM;

  /** {@code watchRoutes}: sends every request answered on the routes given to the watch given. */
  public MetricsArea(java.util.function.BiConsumer<Set<String>, Answered> watchRoutes) {
    this(watchRoutes, null);
  }

  /**
   * {@code hostRegistry}: the meter registry a library-mode service handed to Nova, or null. A
   * registry reads its gauges when it publishes (a push registry every step) or is scraped, so a
   * gauge of Nova's in it, {@code nova.registry.reads}, tells when the registry stops.
   */
  public MetricsArea(
      java.util.function.BiConsumer<Set<String>, Answered> watchRoutes,
      io.micrometer.core.instrument.MeterRegistry hostRegistry) {
    this.watchRoutes = watchRoutes;
    this.hostRegistry = hostRegistry;
  }

  @Override
  public String name() {
    return "metrics";
  }

  /** Nova's own endpoint was scraped (by {@code caller}) and answered {@code bytes}. */
  public void scraped(String caller, int bytes) {
    own.add(clock.nanoTime(), clock.now(), 200, bytes, caller);
  }

  /** One endpoint's recent scrapes. */
  static final class Watch {
    final String owner;
    final String route;
    private final Deque<Object[]> scrapes =
        new ArrayDeque<>(); // {nanos, instant, status, bytes, caller}

    Watch(String owner, String route) {
      this.owner = owner;
      this.route = route;
    }

    synchronized void add(long nanos, Instant at, int status, long bytes, String caller) {
      scrapes.addLast(new Object[] {nanos, at, status, bytes, caller});
      while (scrapes.size() > KEPT) {
        scrapes.removeFirst();
      }
    }

    /**
     * The median gap between scrapes when they are steady (at least {@link #STEADY} of them, three
     * gaps in four within half and one and a half times the median: a scraper, not a person running
     * curl now and then); else -1.
     */
    synchronized long interval() {
      return steadyInterval(); // the lock is held: the gaps are read whole
    }

    String who() {
      return owner.equals("nova")
          ? "Nova's "
          : owner.equals("registry") ? "the service's " : "the host's ";
    }

    private long steadyInterval() {
      if (scrapes.size() < STEADY) {
        return -1;
      }
      long[] gaps = new long[scrapes.size() - 1];
      Object[] prev = null;
      int i = 0;
      for (Object[] s : scrapes) {
        if (prev != null) {
          gaps[i++] = (long) s[0] - (long) prev[0];
        }
        prev = s;
      }
      Arrays.sort(gaps);
      long median = gaps[gaps.length / 2];
      int regular = 0;
      for (long g : gaps) {
        if (g * 2 >= median && g * 2 <= median * 3) {
          regular++;
        }
      }
      return regular * 4 >= gaps.length * 3 && median > 0 ? median : -1;
    }

    synchronized Finding evaluate(long now) {
      if (scrapes.isEmpty()) {
        return null;
      }
      Object[] last = scrapes.getLast();
      long interval = interval();
      long since = now - (long) last[0];
      boolean stopped = interval > 0 && since > 3 * Math.max(interval, 1_000_000_000L / 2);
      List<Integer> statuses = new ArrayList<>();
      Set<String> callers = new LinkedHashSet<>();
      for (Object[] s : scrapes) {
        statuses.add((Integer) s[2]);
        if (s[4] != null) {
          callers.add((String) s[4]);
        }
      }
      int failing = 0;
      for (int k = statuses.size() - 1; k >= 0 && statuses.get(k) / 100 != 2; k--) {
        failing++;
      }
      // failing: the last three scrapes (a single stray 404 is no scraper's); statuses older
      // than ten minutes without a steady scraper are forgotten
      boolean fresh = interval > 0 || since < java.time.Duration.ofMinutes(10).toNanos();
      boolean failed = fresh && statuses.size() >= 3 && failing >= 3;
      // an empty body where its length is known (-1: a chunked servlet response did not say)
      boolean empty =
          fresh && statuses.size() >= 3 && (int) last[2] / 100 == 2 && (long) last[3] == 0;
      if (!stopped && !failed && !empty) {
        return null;
      }
      boolean long10 = interval > 0 && since > 10 * interval;
      String what =
          stopped
              ? "no longer scraped: last "
                  + since / 1_000_000_000L
                  + " s ago, every "
                  + Math.max(1, interval / 1_000_000_000L)
                  + " s before"
              : failed
                  ? "answering " + statuses.get(statuses.size() - 1) + " to its scraper"
                  : "answering an empty body";
      Evidence.Builder e =
          Evidence.builder()
              .put("endpoint", who() + route)
              .put("problem", stopped ? "stopped" : failed ? "failing" : "empty")
              .put("lastScrapeAt", last[1].toString())
              .put("secondsSinceLastScrape", since / 1_000_000_000L)
              .put("scrapesSeen", scrapes.size())
              .list("recentStatuses", statuses);
      if (interval > 0) {
        e.put("intervalSeconds", Math.round(interval / 1e8) / 10.0);
      }
      if (!callers.isEmpty()) {
        e.list("scrapers", new ArrayList<>(callers));
      }
      return new Finding(
          FindingCode.METRICS_MISSING,
          long10 ? Severity.MEDIUM : Severity.LOW,
          who()
              + route
              + " "
              + (owner.equals("registry") && stopped
                  ? "stopped publishing: last read "
                      + since / 1_000_000_000L
                      + " s ago, every "
                      + Math.max(1, interval / 1_000_000_000L)
                      + " s before"
                  : what),
          e.build(),
          List.of());
    }
  }

  @Override
  public void install(Wiring w) {
    clock = w.clock();
    String paths = w.config().get(Options.METRICS_PATHS);
    Set<String> routes = new LinkedHashSet<>();
    for (String p : (paths == null ? "" : paths).split(";")) {
      if (!p.isBlank()) {
        routes.add(p.trim());
        host.put(p.trim(), new Watch("host", p.trim()));
      }
    }
    if (!routes.isEmpty()) {
      watchRoutes.accept(
          routes,
          (route, status, bytes) -> {
            Watch watch = host.get(route);
            if (watch != null) {
              watch.add(clock.nanoTime(), clock.now(), status, bytes, null);
            }
          });
    }
    if (hostRegistry != null) {
      String type = hostRegistry.getClass().getSimpleName();
      io.micrometer.core.instrument.Gauge.builder(
              Meters.REGISTRY_READS.name(),
              this,
              m -> {
                m.registryReads.add(clock.nanoTime(), clock.now(), 200, 1, type);
                return 1;
              })
          .description(Meters.REGISTRY_READS.description())
          .register(hostRegistry);
    }
    w.detector(
        new Detector() {
          @Override
          public String name() {
            return "metrics-missing";
          }

          @Override
          public List<Finding> evaluate(NovaClock c) {
            long now = c.nanoTime();
            List<Finding> out = new ArrayList<>();
            Finding f = own.evaluate(now);
            if (f != null) {
              out.add(f);
            }
            if (hostRegistry != null) {
              Finding r = registryReads.evaluate(now);
              if (r != null) {
                out.add(r);
              }
            }
            for (Watch h : host.values()) {
              Finding g = h.evaluate(now);
              if (g != null) {
                out.add(g);
              }
            }
            return out;
          }
        });
    w.signal(SignalSource.of("metrics", this::snapshot));
  }

  private Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("novaEndpoint", describe(own));
    Map<String, Object> h = new LinkedHashMap<>();
    host.forEach((k, v) -> h.put(k, describe(v)));
    m.put("hostEndpoints", h);
    if (hostRegistry != null) {
      m.put("serviceRegistry", describe(registryReads));
    }
    return m;
  }

  private static Map<String, Object> describe(Watch w) {
    Map<String, Object> m = new LinkedHashMap<>();
    synchronized (w) {
      m.put("scrapesSeen", w.scrapes.size());
      long i = w.interval();
      m.put("intervalSeconds", i < 0 ? null : Math.round(i / 1e8) / 10.0);
      if (!w.scrapes.isEmpty()) {
        m.put("lastScrapeAt", w.scrapes.getLast()[1].toString());
        m.put("lastStatus", w.scrapes.getLast()[2]);
      }
    }
    return m;
  }
}

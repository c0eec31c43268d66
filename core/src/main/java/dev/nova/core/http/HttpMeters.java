package dev.nova.core.http;

import dev.nova.core.meter.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The contract's HTTP meters ({@code nova_http_request_duration_seconds}, {@code
 * nova_http_errors_total}), one per route, method and status, registered at the first request that
 * needs one and then found without building a key: the route's meters sit in a small copy-on-write
 * array under an int ({@code method index * 1000 + status}).
 */
public final class HttpMeters {
  /** The buckets of Nova's request histograms (HTTP, and gRPC's). */
  public static final Duration[] SLO = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
  };

  /** One route's meters by int key: a route sees few method and status pairs. */
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

  private final MeterRegistry registry;
  private final Map<String, RouteMeters> timers = new ConcurrentHashMap<>();
  private final Map<String, RouteMeters> errorCounters = new ConcurrentHashMap<>();

  HttpMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  private static RouteMeters of(Map<String, RouteMeters> byRoute, String route) {
    RouteMeters r = byRoute.get(route);
    return r != null ? r : byRoute.computeIfAbsent(route, k -> new RouteMeters());
  }

  /**
   * One finished request; {@code methodIndex} as {@link HttpTracker#methodIndex} gives it, {@code
   * protocol} an index of {@link HttpTracker#PROTOCOLS}.
   */
  void record(int protocol, int methodIndex, String route, int status, long nanos) {
    RouteMeters rt = of(timers, route);
    int key = protocol * 100_000 + methodIndex * 1000 + status;
    Object t = rt.get(key);
    if (t == null) {
      t =
          rt.add(
              key,
              () ->
                  Timer.builder(Meters.HTTP_REQUEST_DURATION.name())
                      .description(Meters.HTTP_REQUEST_DURATION.description())
                      .tag("method", HttpTracker.METHODS[methodIndex])
                      .tag("route", route)
                      .tag("status", Integer.toString(status))
                      .tag("protocol", HttpTracker.PROTOCOLS[protocol])
                      .serviceLevelObjectives(SLO)
                      .register(registry));
    }
    ((Timer) t).record(nanos, TimeUnit.NANOSECONDS);
    if (status >= 500) {
      RouteMeters re = of(errorCounters, route);
      int errorKey = protocol * 100_000 + status;
      Object c = re.get(errorKey);
      if (c == null) {
        c =
            re.add(
                errorKey,
                () ->
                    Counter.builder(Meters.HTTP_ERRORS.name())
                        .description(Meters.HTTP_ERRORS.description())
                        .tag("route", route)
                        .tag("status", Integer.toString(status))
                        .tag("protocol", HttpTracker.PROTOCOLS[protocol])
                        .register(registry));
      }
      ((Counter) c).increment();
    }
  }
}

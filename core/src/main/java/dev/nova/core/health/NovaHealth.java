package dev.nova.core.health;

import dev.nova.core.meter.Meters;
import dev.nova.core.util.NovaLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Nova's own health: errors it swallowed instead of throwing into the host, detector failures, what
 * it tracks and roughly how much heap that costs. Shown in the report's {@code agent} section and
 * as {@code nova_agent_*} meters. Tests assert that the error counts stay at zero.
 */
public final class NovaHealth {
  private static final int RECENT_ERRORS = 16;

  private record Tracked(LongSupplier count, long bytesPerEntry) {}

  private final LongAdder suppressed = new LongAdder();
  private final LongAdder transformErrors = new LongAdder();
  private final LongAdder detectorFailures = new LongAdder();
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final Set<String> alreadyLogged = ConcurrentHashMap.newKeySet();
  private final Deque<String> recent = new ArrayDeque<>();
  private volatile MeterRegistry registry;

  /** Counts an error Nova caught instead of letting it reach the host. Never throws. */
  public void recordSuppressed(String where, Throwable t) {
    suppressed.increment();
    remember("suppressed", where, t);
  }

  /** Counts a class Byte Buddy could not instrument. Never throws. */
  public void recordTransformError(String typeName, Throwable t) {
    transformErrors.increment();
    remember("transform", typeName, t);
  }

  /** Counts a detector that threw during a round. Never throws. */
  public void recordDetectorFailure(String detector, Throwable t) {
    detectorFailures.increment();
    remember("detector", detector, t);
  }

  private void remember(String kind, String where, Throwable t) {
    try {
      String line =
          kind
              + " in "
              + where
              + ": "
              + (t == null ? "?" : t.getClass().getName() + ": " + t.getMessage());
      synchronized (recent) {
        if (recent.size() == RECENT_ERRORS) {
          recent.removeFirst();
        }
        recent.addLast(line);
      }
      // Said once per place, so a hot path that keeps failing cannot flood the host's stderr.
      if (alreadyLogged.size() < 256 && alreadyLogged.add(kind + ':' + where)) {
        NovaLog.warn(
            line
                + " (counted in "
                + Meters.AGENT_ERRORS.prometheus()
                + "; further ones are not logged)");
      }
    } catch (Throwable ignored) {
      // the error path of the error path: nothing more can be done safely
    }
  }

  /**
   * Declares something Nova keeps so that its count and heap cost are visible.
   *
   * @param kind a short name ({@code leak-suspects}, {@code meters})
   * @param count the current number of entries
   * @param bytesPerEntry a rough per-entry footprint, for the heap estimate
   */
  public void track(String kind, LongSupplier count, long bytesPerEntry) {
    Tracked t = new Tracked(count, bytesPerEntry);
    if (tracked.putIfAbsent(kind, t) != null) {
      throw new IllegalArgumentException("already tracked: " + kind);
    }
    MeterRegistry r = registry;
    if (r != null) {
      register(r, kind, t);
    }
  }

  public long suppressedErrors() {
    return suppressed.sum();
  }

  public long transformErrors() {
    return transformErrors.sum();
  }

  public long detectorFailures() {
    return detectorFailures.sum();
  }

  /** Every kind of error Nova swallowed, summed. */
  public long errors() {
    return suppressedErrors() + transformErrors() + detectorFailures();
  }

  public Map<String, Long> trackedObjects() {
    Map<String, Long> out = new LinkedHashMap<>();
    tracked.forEach((k, v) -> out.put(k, safeCount(v.count())));
    return out;
  }

  /** A rough estimate of the heap Nova's tracked state takes, in bytes. */
  public long heapEstimateBytes() {
    long sum = 0;
    for (Tracked t : tracked.values()) {
      sum += safeCount(t.count()) * t.bytesPerEntry();
    }
    return sum;
  }

  private static long safeCount(LongSupplier s) {
    try {
      return s.getAsLong();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  public List<String> recentErrors() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }

  /** Registers the {@code nova_agent_*} meters, and those of whatever is tracked from now on. */
  public synchronized void bindTo(MeterRegistry registry) {
    this.registry = registry;
    tracked.forEach((kind, t) -> register(registry, kind, t));
    FunctionCounter.builder(Meters.AGENT_ERRORS.name(), suppressed, LongAdder::sum)
        .tag("kind", "suppressed")
        .description(Meters.AGENT_ERRORS.description())
        .register(registry);
    FunctionCounter.builder(Meters.AGENT_ERRORS.name(), transformErrors, LongAdder::sum)
        .tag("kind", "transform")
        .description(Meters.AGENT_ERRORS.description())
        .register(registry);
    FunctionCounter.builder(Meters.AGENT_ERRORS.name(), detectorFailures, LongAdder::sum)
        .tag("kind", "detector")
        .description(Meters.AGENT_ERRORS.description())
        .register(registry);
    Gauge.builder(Meters.AGENT_HEAP_ESTIMATE.name(), this, NovaHealth::heapEstimateBytes)
        .baseUnit("bytes")
        .description(Meters.AGENT_HEAP_ESTIMATE.description())
        .register(registry);
  }

  private static void register(MeterRegistry registry, String kind, Tracked t) {
    Gauge.builder(Meters.AGENT_TRACKED_OBJECTS.name(), t, x -> safeCount(x.count()))
        .tag("kind", kind)
        .description(Meters.AGENT_TRACKED_OBJECTS.description())
        .register(registry);
  }
}

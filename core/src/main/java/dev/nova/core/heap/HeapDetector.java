package dev.nova.core.heap;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.Hold;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.jdbc.AppFrames;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Runbook scenario 5 from the live heap after GC: {@code HEAP_GROWTH} (the live set keeps rising
 * over {@code heap.window}), {@code HEAP_PRESSURE} (it sits above {@code heap.pressure} of the
 * maximum) and {@code GC_PRESSURE} (GC takes more than {@code gc.share} of wall time). A finding
 * stays for {@code findings.hold} (30 s) after its condition clears, so a sawtooth does not make it
 * flicker.
 */
public final class HeapDetector implements Detector {
  static final int MIN_POINTS = 6;
  static final double MB = 1024.0 * 1024.0;
  static final double YOUNG_ONLY_FLOOR = 0.25;

  private final HeapMonitor monitor;
  private final GcShare gc;
  private final long windowNanos;
  private final double pressure;
  private final double gcShare;
  private final LongSupplier maxHeap;
  private final AllocationMonitor allocations;
  private final LeakCandidates leaks;
  private final Hold growthHold;
  private final Hold pressureHold;
  private final Hold gcHold;

  /**
   * {@code allocations} (sampled every round) and {@code leaks} (candidates for HEAP_GROWTH) may be
   * null; each finding is held for {@code hold} after its condition clears.
   */
  public HeapDetector(
      HeapMonitor monitor,
      GcShare gc,
      Duration window,
      double pressure,
      double gcShare,
      LongSupplier maxHeap,
      AllocationMonitor allocations,
      LeakCandidates leaks,
      Duration hold) {
    this.growthHold = new Hold(hold);
    this.pressureHold = new Hold(hold);
    this.gcHold = new Hold(hold);
    this.allocations = allocations;
    this.leaks = leaks;
    this.monitor = monitor;
    this.gc = gc;
    this.windowNanos = window.toNanos();
    this.pressure = pressure;
    this.gcShare = gcShare;
    this.maxHeap = maxHeap;
  }

  @Override
  public String name() {
    return "heap";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    long now = clock.nanoTime();
    gc.sample();
    if (allocations != null) {
      allocations.sample();
    }
    List<Finding> out = new ArrayList<>();
    List<HeapMonitor.Point> points = monitor.since(windowNanos);
    long max = maxHeap.getAsLong();
    boolean suspected = suspected(points, max, windowNanos);
    if (leaks != null) {
      if (suspected) {
        leaks.suspect();
      } else {
        leaks.relax();
      }
    }
    if (allocations != null) {
      // who allocates matters while the live set may grow or collections take a large share
      allocations.demand(
          suspected
              || (gc.coveredNanos() >= Duration.ofSeconds(1).toNanos()
                  && gc.share() >= gcShare / 2));
    }
    growthHold.add(out, growth(points, max, now, clock.now()), now);
    pressureHold.add(out, pressure(points, max), now);
    gcHold.add(out, gcPressure(), now);
    return out;
  }

  /**
   * Whether the live set might be growing: a loose trend over whatever part of the window has been
   * seen (a twentieth at least), rising at half the finding's rate, over the points after full
   * collections or, when there are none, over all points once an eighth of the heap is used (half
   * the finding's floor: a JVM warming up climbs too). It starts old-object sampling early, so that
   * leak candidates are there when the finding is.
   */
  static boolean suspected(List<HeapMonitor.Point> points, long max, long windowNanos) {
    if (points.size() < 3
        || max <= 0
        || points.get(points.size() - 1).at() - points.get(0).at() < windowNanos / 20) {
      return false;
    }
    List<HeapMonitor.Point> major = majors(points);
    if (major.size() >= 3) {
      return looselyRising(major, max);
    }
    return points.get(points.size() - 1).usedAfter() >= YOUNG_ONLY_FLOOR / 2 * max
        && looselyRising(points, max);
  }

  private static boolean looselyRising(List<HeapMonitor.Point> points, long max) {
    Trend trend = trend(points);
    long span = points.get(points.size() - 1).at() - points.get(0).at();
    return span > 0
        && trend.slopePerNano() > 0
        && trend.risingShare() >= 0.6
        && trend.slopePerNano() * span >= Math.max(2 * MB, 0.01 * max);
  }

  /** The points taken right after a full collection: the live set alone. */
  private static List<HeapMonitor.Point> majors(List<HeapMonitor.Point> points) {
    List<HeapMonitor.Point> major = new ArrayList<>();
    for (HeapMonitor.Point p : points) {
      if (p.major()) {
        major.add(p);
      }
    }
    return major;
  }

  /** The robust trend of the live heap after GC over these points. */
  private static Trend trend(List<HeapMonitor.Point> points) {
    long[] t = new long[points.size()];
    long[] v = new long[points.size()];
    for (int i = 0; i < points.size(); i++) {
      t[i] = points.get(i).at();
      v[i] = points.get(i).usedAfter();
    }
    return Trend.of(t, v);
  }

  private Finding growth(
      List<HeapMonitor.Point> points, long max, long now, java.time.Instant wallNow) {
    if (points.size() < MIN_POINTS || max <= 0) {
      return null;
    }
    long span = points.get(points.size() - 1).at() - points.get(0).at();
    if (span < windowNanos / 2) {
      return null; // warming up: not enough of the window seen yet
    }
    List<HeapMonitor.Point> major = majors(points);
    // After a major collection the heap holds the live set alone: trust those points when there
    // are enough; otherwise every point, but then only an overwhelming trend counts.
    List<HeapMonitor.Point> used = major.size() >= 4 ? major : points;
    Trend trend = trend(used);
    double perWindow = trend.slopePerNano() * windowNanos;
    boolean rising =
        trend.slopePerNano() > 0
            && trend.risingShare() >= (major.isEmpty() ? 0.95 : 0.75)
            && perWindow >= Math.max(4 * MB, 0.02 * max);
    if (!rising) {
      return null;
    }
    long latest = used.get(used.size() - 1).usedAfter();
    if (used == points && latest < YOUNG_ONLY_FLOOR * max) {
      // without full collections the points include tenured garbage no collection has looked at
      // yet: a JVM warming up climbs like this; only a heap already a quarter full is a concern
      return null;
    }
    double minutesLeft = (max - latest) / (trend.slopePerNano() * 60e9);
    // the wall-clock moment the line reaches the maximum, from the latest point's time
    long leftNanos = (long) Math.min(Long.MAX_VALUE / 4.0, (max - latest) / trend.slopePerNano());
    java.time.Instant exhaustedAt =
        wallNow.plusNanos((used.get(used.size() - 1).at() - now) + leftNanos);
    Severity sev =
        minutesLeft < 10 ? Severity.CRITICAL : minutesLeft < 60 ? Severity.HIGH : Severity.MEDIUM;
    List<Object> series = new ArrayList<>();
    for (HeapMonitor.Point p : used.subList(Math.max(0, used.size() - 10), used.size())) {
      series.add(Math.round(p.usedAfter() / MB * 10) / 10.0);
    }
    Evidence.Builder evidence =
        Evidence.builder()
            .put("slopeMbPerMin", Math.round(trend.megabytesPerMinute() * 100) / 100.0)
            .put("projectedExhaustionMinutes", Math.round(minutesLeft * 10) / 10.0)
            .put("projectedExhaustionAt", exhaustedAt.truncatedTo(ChronoUnit.SECONDS).toString())
            .put("liveAfterGcMb", Math.round(latest / MB * 10) / 10.0)
            .put("maxMb", Math.round(max / MB * 10) / 10.0)
            .put("risingShare", Math.round(trend.risingShare() * 100) / 100.0)
            .put("points", used.size())
            .put("majorCollections", major.size())
            .put("windowSeconds", windowNanos / 1_000_000_000)
            .list("liveMbSeries", series);
    String where = null; // where the oldest live samples were allocated
    if (leaks != null) {
      // growth is a finding now: a cheap old-object snapshot (no GC-root paths), rate-limited
      leaks.suspect();
      List<LeakCandidates.Candidate> candidates = leaks.candidates(windowNanos);
      evidence
          .list("leakCandidates", LeakCandidates.evidence(candidates))
          .put("leakCandidatesFrom", leaks.status());
      for (LeakCandidates.Candidate c : candidates) {
        if (where == null) {
          where = AppFrames.firstApplication(c.stack());
        }
      }
    }
    return new Finding(
            FindingCode.HEAP_GROWTH,
            sev,
            String.format(
                "live heap after GC rising %.1f MB/min; exhausted in about %.0f min",
                trend.megabytesPerMinute(), minutesLeft),
            evidence.build(),
            List.of(ActionNames.HEAP_DUMP, ActionNames.CACHE_TRIM))
        .at(where);
  }

  private Finding pressure(List<HeapMonitor.Point> points, long max) {
    if (points.isEmpty() || max <= 0) {
      return null;
    }
    HeapMonitor.Point last = points.get(points.size() - 1);
    double share = (double) last.usedAfter() / max;
    if (share < pressure) {
      return null;
    }
    Severity sev = share >= 0.97 ? Severity.CRITICAL : Severity.HIGH;
    return new Finding(
        FindingCode.HEAP_PRESSURE,
        sev,
        String.format("live heap after GC is %.0f%% of the maximum", share * 100),
        Evidence.builder()
            .put("liveAfterGcMb", Math.round(last.usedAfter() / MB * 10) / 10.0)
            .put("maxMb", Math.round(max / MB * 10) / 10.0)
            .put("share", Math.round(share * 1000) / 1000.0)
            .put("threshold", pressure)
            .put("collector", last.collector())
            .build(),
        List.of(ActionNames.CACHE_TRIM, ActionNames.HEAP_DUMP));
  }

  private Finding gcPressure() {
    double share = gc.share();
    if (share < gcShare || !gc.judged()) {
      return null;
    }
    Severity sev =
        share >= 0.5 ? Severity.CRITICAL : share >= 2 * gcShare ? Severity.HIGH : Severity.MEDIUM;
    Evidence.Builder evidence =
        Evidence.builder()
            .put("gcShare", Math.round(share * 1000) / 1000.0)
            .put("threshold", gcShare)
            .put("windowSeconds", gc.coveredNanos() / 1_000_000_000);
    if (allocations != null) {
      // who fills the young generation: sampled since the share passed half the threshold
      java.util.Map<String, Object> a = allocations.snapshot();
      if (a.get("allocationMbPerSecond") instanceof Number rate) {
        evidence.put("allocationMbPerSecond", rate);
      }
      if (a.get("topAllocations") instanceof List<?> top) {
        List<Evidence> rows = new ArrayList<>();
        for (Object o : top) {
          if (o instanceof java.util.Map<?, ?> row) {
            rows.add(
                Evidence.builder()
                    .put("allocation", String.valueOf(row.get("allocation")))
                    .put("share", (Number) row.get("share"))
                    .put("samples", (Number) row.get("samples"))
                    .build());
          }
        }
        evidence.list("topAllocations", rows);
      } else if (a.get("allocationSampling") instanceof String why) {
        evidence.put("allocationSampling", why);
      }
    }
    return new Finding(
        FindingCode.GC_PRESSURE,
        sev,
        String.format("%.0f%% of wall time in garbage collection", share * 100),
        evidence.build(),
        List.of(ActionNames.CACHE_TRIM, ActionNames.HEAP_DUMP));
  }
}

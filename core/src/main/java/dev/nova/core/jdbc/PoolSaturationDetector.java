package dev.nova.core.jdbc;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.pool.PoolRegistry;
import dev.nova.core.pool.PoolView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code DB_POOL_SATURATED}: a pool at its maximum with threads waiting, or acquire timeouts. The
 * severity rises the longer it lasts (MEDIUM, HIGH after 1 minute or on timeouts, CRITICAL after 5
 * minutes); a pool counts as recovered only after {@code findings.hold} (30 s) without saturation.
 */
public final class PoolSaturationDetector implements Detector {
  static final long HIGH_AFTER = Duration.ofMinutes(1).toNanos();
  static final long CRITICAL_AFTER = Duration.ofMinutes(5).toNanos();

  private final PoolRegistry registry;
  private final JdbcTracker tracker;
  // per pool: saturated since, last seen saturated, timeouts when it began, timeouts last round
  private final Map<String, long[]> state = new HashMap<>();

  private final long clearAfter;

  /** A pool counts as recovered after {@code clearAfter} without saturation. */
  public PoolSaturationDetector(PoolRegistry registry, JdbcTracker tracker, Duration clearAfter) {
    this.clearAfter = clearAfter.toNanos();
    this.registry = registry;
    this.tracker = tracker;
  }

  @Override
  public String name() {
    return "pool-saturation";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    long now = clock.nanoTime();
    List<Finding> out = new ArrayList<>();
    for (PoolView p : registry.pools()) {
      int active = p.active();
      int max = p.max();
      int waiting = p.waiting();
      long timeouts = tracker.acquireTimeouts(p.name());
      long[] s = state.computeIfAbsent(p.name(), k -> new long[] {-1, -1, 0, 0});
      long previous = s[3];
      boolean newTimeouts = timeouts > previous;
      s[3] = timeouts;
      // waiting < 0: the pool cannot say (then at its maximum counts)
      boolean saturatedNow = (max > 0 && active >= max && waiting != 0) || newTimeouts;
      if (saturatedNow) {
        if (s[0] < 0) {
          s[0] = now;
          s[2] = previous;
        }
        s[1] = now;
      } else if (s[0] >= 0 && now - s[1] >= clearAfter) {
        s[0] = -1;
      }
      if (s[0] < 0) {
        continue;
      }
      long lasted = now - s[0];
      boolean timedOut = timeouts > s[2];
      Severity sev =
          lasted >= CRITICAL_AFTER
              ? Severity.CRITICAL
              : lasted >= HIGH_AFTER || timedOut ? Severity.HIGH : Severity.MEDIUM;
      List<Evidence> holders = new ArrayList<>();
      for (Lease l : tracker.leases()) {
        if (l.pool().equals(p.name()) && holders.size() < 5) {
          holders.add(leaseEvidence(l, now));
        }
      }
      out.add(
          new Finding(
              FindingCode.DB_POOL_SATURATED,
              sev,
              "pool "
                  + p.name()
                  + " is saturated: "
                  + active
                  + "/"
                  + max
                  + " active, "
                  + waiting
                  + " thread(s) waiting"
                  + (timedOut ? ", " + (timeouts - s[2]) + " acquire timeout(s)" : ""),
              Evidence.builder()
                  .put("pool", p.name())
                  .put("active", active)
                  .put("idle", p.idle())
                  .put("max", max)
                  .put("waiting", waiting)
                  .put("acquireTimeouts", timeouts - s[2])
                  .put("saturatedForMs", lasted / 1_000_000)
                  .list("topHolders", holders)
                  .build(),
              List.of(
                  ActionNames.CONNECTION_CLOSE_LEAKED,
                  ActionNames.POOL_RESIZE,
                  ActionNames.QUERY_CANCEL,
                  ActionNames.THREAD_DUMP)));
    }
    return out;
  }

  private Evidence leaseEvidence(Lease l, long now) {
    return JdbcSignals.lease(tracker, l, now);
  }
}

package dev.nova.core.jdbc;

import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.finding.Evidence;
import dev.nova.core.pool.PoolRegistry;
import dev.nova.core.pool.PoolView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code signals.jdbc} ("who holds the pool") and {@code signals.pools}. */
public final class JdbcSignals {
  private JdbcSignals() {}

  /** One borrowed connection as evidence: pool, holder, held time, current SQL, stack. */
  public static Evidence lease(JdbcTracker t, Lease l, long now) {
    Evidence.Builder b =
        Evidence.builder()
            .put("pool", l.pool())
            .put("thread", l.threadName)
            .put("heldMs", l.heldNanos(now) / 1_000_000)
            .put("acquireMs", l.acquireNanos / 1_000_000.0);
    Execution e = l.current;
    if (e != null && e.running()) {
      b.put("currentSql", e.sql()).put("currentElapsedMs", e.elapsedNanos(now) / 1_000_000);
    }
    List<String> frames = t.frames(l);
    b.put("borrowedAt", frames.isEmpty() ? "(not captured)" : frames.get(0));
    b.list("stack", frames);
    return b.build();
  }

  static Evidence execution(JdbcTracker t, Execution e, long now, boolean withStack) {
    Evidence.Builder b =
        Evidence.builder()
            .put("sql", e.sql())
            .put("elapsedMs", e.elapsedNanos(now) / 1_000_000)
            .put("thread", e.threadName());
    if (e.lease != null) {
      b.put("pool", e.lease.pool());
    }
    if (withStack) {
      List<String> stack = AppFrames.of(e.stackNow(), t.stackDepth());
      b.put("callingFrame", stack.isEmpty() ? "(unknown)" : stack.get(0));
      b.list("stack", stack);
    }
    return b.build();
  }

  /** {@code signals.jdbc}. */
  public static SignalSource jdbc(JdbcTracker t) {
    return SignalSource.of(
        "jdbc",
        () -> {
          if (t.borrows() == 0 && t.executions() == 0 && t.failures().isEmpty()) {
            return null; // not active: JDBC has not been seen in this JVM
          }
          return JdbcSignals.snapshot(t, 20, false);
        });
  }

  /**
   * Who holds the pool: borrowed connections (oldest first) with their borrowing stacks, running
   * statements, statistics. {@code GET /debug/nova/jdbc} asks for everything, with the calling
   * stack of every running statement.
   */
  public static Map<String, Object> snapshot(JdbcTracker t, int maxLeases, boolean runningStacks) {
    long now = t.clock().nanoTime();
    Map<String, Object> m = new LinkedHashMap<>();
    List<Lease> leases = t.leases();
    m.put("borrowed", leases.size());
    m.put("borrowsTotal", t.borrows());
    m.put("executionsTotal", t.executions());
    m.put("leaksTotal", t.leaksTotal());
    m.put("connectFailuresTotal", t.connectFailures());
    if (t.untrackedLeases() > 0) {
      m.put("untrackedBorrows", t.untrackedLeases());
    }
    List<Object> holders = new ArrayList<>();
    for (Lease l : leases.subList(0, Math.min(maxLeases, leases.size()))) {
      holders.add(lease(t, l, now));
    }
    m.put("holders", holders);
    List<Object> running = new ArrayList<>();
    for (Execution e : t.running()) {
      if (running.size() < maxLeases) {
        running.add(execution(t, e, now, runningStacks));
      }
    }
    m.put("running", running);
    List<Object> stats = new ArrayList<>();
    for (SqlStats s : t.statistics()) {
      if (stats.size() == 20) {
        break;
      }
      long calls = s.calls.sum();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("sql", s.sql);
      row.put("calls", calls);
      row.put("totalMs", s.totalNanos.sum() / 1_000_000);
      row.put("meanMs", calls == 0 ? 0 : s.totalNanos.sum() / 1_000_000.0 / calls);
      row.put("maxMs", s.maxNanos.get() / 1_000_000);
      row.put("errors", s.errors.sum());
      stats.add(row);
    }
    m.put("statements", stats);
    List<Object> late = new ArrayList<>();
    for (JdbcTracker.LeakRecord r : t.returnedLate()) {
      late.add(
          Map.of(
              "pool",
              r.pool(),
              "thread",
              r.thread(),
              "heldMs",
              r.heldNanos() / 1_000_000,
              "borrowedAt",
              r.stack().isEmpty() ? "(not captured)" : r.stack().get(0)));
    }
    m.put("returnedLate", late);
    List<Object> failures = new ArrayList<>();
    for (JdbcTracker.Failure f : t.failures()) {
      failures.add(
          Map.of(
              "target", f.target(),
              "error", f.message(),
              "secondsAgo", (now - f.at()) / 1_000_000_000));
    }
    m.put("recentFailures", failures);
    return m;
  }

  /** {@code signals.pools}. */
  public static SignalSource pools(PoolRegistry registry, JdbcTracker t) {
    return SignalSource.of(
        "pools",
        () -> {
          Map<String, Object> m = new LinkedHashMap<>();
          List<PoolView> all = registry.pools();
          if (all.isEmpty()) {
            return null;
          }
          for (PoolView p : all) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("active", p.active());
            v.put("idle", p.idle());
            v.put("total", p.total());
            v.put("max", p.max());
            v.put("waiting", p.waiting());
            v.put("acquireTimeouts", t.acquireTimeouts(p.name()));
            PoolRegistry.AcquireTimes times = registry.acquireTimes(p.name());
            if (times != null) {
              v.put("acquires", times.count());
              v.put("acquireP50Ms", times.quantileMs(0.5));
              v.put("acquireP95Ms", times.quantileMs(0.95));
              v.put("acquireP99Ms", times.quantileMs(0.99));
            }
            m.put(p.name(), v);
          }
          return m;
        });
  }
}

package dev.nova.core.jdbc;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.bridge.JdbcBridge;
import dev.nova.core.config.NovaConfig;
import dev.nova.core.config.Options;
import dev.nova.core.meter.Meters;
import dev.nova.core.pool.PoolRegistry;
import dev.nova.core.pool.PoolView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * JDBC and its pools (runbook scenario 4): every borrow, close and statement, from the agent's
 * bridge or a wrapped data source; {@code DB_CONNECTION_LEAK}, {@code DB_SLOW_QUERY}, {@code
 * DB_UNREACHABLE}, {@code DB_POOL_SATURATED}; the pool and query actions; {@code /debug/nova/jdbc}
 * (who holds the pool).
 */
public final class JdbcArea implements Area {
  /** How many borrowed connections and running statements {@code /debug/nova/jdbc} lists. */
  private static final int VIEW_LIMIT = 1_000;

  private NovaJdbc jdbc;

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public void install(Wiring w) {
    NovaConfig config = w.config();
    PoolRegistry pools = new PoolRegistry();
    JdbcTracker tracker =
        new JdbcTracker(
            w.clock(),
            w.health(),
            pools,
            config.get(Options.JDBC_SLOW_QUERY).toNanos(),
            config.get(Options.JDBC_STACK_DEPTH),
            config.get(Options.JDBC_WRITE_STACK));
    meters(w.registry(), tracker, pools);
    w.signal(JdbcSignals.jdbc(tracker));
    w.signal(JdbcSignals.pools(pools, tracker));
    Duration leakThreshold = config.get(Options.JDBC_LEAK_THRESHOLD);
    w.detector(JdbcDetectors.leaks(tracker, leakThreshold));
    w.detector(JdbcDetectors.slowQueries(tracker));
    w.detector(JdbcDetectors.unreachable(tracker));
    w.detector(new PoolSaturationDetector(pools, tracker, w.hold()));
    PgLocks locks = new PgLocks();
    LockWaitDetector lockWaits =
        new LockWaitDetector(tracker, locks, config.get(Options.JDBC_LOCK_WAIT), w.health());
    w.detector(lockWaits);
    w.signal(dev.nova.core.diagnosis.SignalSource.of("dbLocks", lockWaits::snapshot));
    w.action(JdbcActions.abortBlocker(tracker, locks, lockWaits));
    w.onClose(lockWaits);
    w.action(JdbcActions.poolReset(pools));
    w.action(JdbcActions.poolResize(pools));
    w.action(JdbcActions.queryCancel(tracker));
    w.action(JdbcActions.closeLeaked(tracker, leakThreshold));
    w.view("jdbc", () -> JdbcSignals.snapshot(tracker, VIEW_LIMIT, true));
    w.bridge(
        () -> JdbcBridge.install(tracker, w.health()::recordSuppressed),
        () -> JdbcBridge.uninstall(tracker));
    jdbc = new NovaJdbc(tracker, pools);
  }

  /** JDBC in library mode; there once this area is installed. */
  public NovaJdbc jdbc() {
    return jdbc;
  }

  private static void meters(MeterRegistry registry, JdbcTracker tracker, PoolRegistry pools) {
    Counter leaks =
        Counter.builder(Meters.JDBC_CONNECTION_LEAKS.name())
            .description(Meters.JDBC_CONNECTION_LEAKS.description())
            .register(registry);
    tracker.onLeak(l -> leaks.increment());
    FunctionCounter.builder(Meters.JDBC_BORROWS.name(), tracker, JdbcTracker::borrows)
        .description(Meters.JDBC_BORROWS.description())
        .register(registry);
    FunctionCounter.builder(Meters.JDBC_STATEMENTS.name(), tracker, JdbcTracker::executions)
        .description(Meters.JDBC_STATEMENTS.description())
        .register(registry);
    FunctionCounter.builder(
            Meters.JDBC_CONNECT_FAILURES.name(), tracker, JdbcTracker::connectFailures)
        .description(Meters.JDBC_CONNECT_FAILURES.description())
        .register(registry);
    Gauge.builder(Meters.JDBC_BORROWED.name(), tracker, t -> t.leases().size())
        .description(Meters.JDBC_BORROWED.description())
        .register(registry);
    pools.onNewPool(
        p -> {
          Gauge.builder(Meters.POOL_ACTIVE.name(), p, PoolView::active)
              .description(Meters.POOL_ACTIVE.description())
              .tag("pool", p.name())
              .register(registry);
          Gauge.builder(Meters.POOL_IDLE.name(), p, PoolView::idle)
              .description(Meters.POOL_IDLE.description())
              .tag("pool", p.name())
              .register(registry);
          Gauge.builder(Meters.POOL_MAX.name(), p, PoolView::max)
              .description(Meters.POOL_MAX.description())
              .tag("pool", p.name())
              .register(registry);
          Gauge.builder(Meters.POOL_WAITING.name(), p, PoolView::waiting)
              .description(Meters.POOL_WAITING.description())
              .tag("pool", p.name())
              .register(registry);
          FunctionCounter.builder(
                  Meters.POOL_ACQUIRE_TIMEOUTS.name(), tracker, t -> t.acquireTimeouts(p.name()))
              .description(Meters.POOL_ACQUIRE_TIMEOUTS.description())
              .tag("pool", p.name())
              .register(registry);
        });
  }
}

package dev.nova.core.pool;

import dev.nova.core.util.Quantiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The connection pools Nova found: HikariCP pools discovered when they start, HikariCP and DBCP2
 * pools at their first borrow (agent) or when handed in (library), however many. Held weakly;
 * closed pools drop out.
 */
public final class PoolRegistry {
  static final int MAX_POOLS = 64;

  private final List<PoolView> pools = new CopyOnWriteArrayList<>();
  private final Map<String, AcquireTimes> acquire = new ConcurrentHashMap<>();
  private volatile java.util.function.Consumer<PoolView> onNew = v -> {};

  /** Called once for every pool registered from now on (meters per pool). */
  public void onNewPool(java.util.function.Consumer<PoolView> listener) {
    this.onNew = listener;
  }

  /**
   * Acquire times of one pool in power-of-two microsecond buckets, cheap to record on every borrow;
   * the first {@link #EXACT} are also kept as they are, so that a young pool's percentiles are its
   * real acquire times. Past that they interpolate inside a bucket, never above the slowest
   * acquire.
   */
  public static final class AcquireTimes {
    static final int EXACT = 32;
    private static final double[] LOWER_MS = new double[32];
    private static final double[] UPPER_MS = new double[32];

    static {
      for (int i = 0; i < 32; i++) {
        LOWER_MS[i] = (1L << i) / 1000.0;
        UPPER_MS[i] = (1L << (i + 1)) / 1000.0;
      }
    }

    final AtomicLongArray buckets = new AtomicLongArray(32);
    final LongAdder count = new LongAdder();
    private final AtomicInteger kept = new AtomicInteger();
    private final AtomicLongArray exact = new AtomicLongArray(EXACT);
    private final AtomicLong maxNanos = new AtomicLong();

    public void record(long nanos) {
      long micros = Math.max(1, nanos / 1000);
      int b = Math.min(31, 63 - Long.numberOfLeadingZeros(micros));
      buckets.incrementAndGet(b);
      count.increment();
      if (kept.get() < EXACT) { // one read per borrow once the first EXACT are kept
        int i = kept.getAndIncrement();
        if (i < EXACT) {
          exact.set(i, Math.max(1, nanos)); // 0 means "not written yet" to a reader
        }
      }
      if (nanos > maxNanos.get()) {
        maxNanos.accumulateAndGet(nanos, Math::max);
      }
    }

    /** The {@code q} quantile in milliseconds: exact for the first {@link #EXACT} acquires. */
    public double quantileMs(double q) {
      long n = count.sum();
      if (n == 0) {
        return 0;
      }
      if (n <= EXACT) {
        long[] values = new long[(int) n];
        int got = 0;
        for (int i = 0; i < n; i++) {
          long v = exact.get(i);
          if (v > 0) {
            values[got++] = v;
          }
        }
        return Quantiles.nearestRank(values, got, q) / 1e6;
      }
      long[] counts = new long[32];
      for (int i = 0; i < 32; i++) {
        counts[i] = buckets.get(i);
      }
      return Quantiles.interpolate(counts, LOWER_MS, UPPER_MS, maxNanos.get() / 1e6, q);
    }

    public long count() {
      return count.sum();
    }
  }

  /** Registers a pool object (HikariPool or HikariDataSource); false when it is not one. */
  public synchronized boolean register(Object pool) {
    if (pool == null) {
      return false;
    }
    for (PoolView v : pools) {
      if (v instanceof HikariPoolView h && h.pool() == pool) {
        return true;
      }
    }
    PoolView view = HikariPoolView.of(pool);
    if (view == null) {
      view = Dbcp2PoolView.of(pool);
      if (view == null) {
        return false;
      }
      for (PoolView v : pools) {
        if (v instanceof Dbcp2PoolView d && d.source() == pool) {
          return true;
        }
      }
    } else {
      Object underlying = ((HikariPoolView) view).pool();
      for (PoolView v : pools) {
        if (v instanceof HikariPoolView h && h.pool() == underlying) {
          return true; // the same pool, seen through its data source
        }
      }
    }
    if (pools.size() >= MAX_POOLS) {
      return false;
    }
    pools.add(view);
    onNew.accept(view);
    return true;
  }

  /** Adds a pool that is not HikariCP's, through its own view. */
  public synchronized void register(PoolView view) {
    if (pools.size() < MAX_POOLS) {
      pools.add(view);
      onNew.accept(view);
    }
  }

  /** Live pools. */
  public List<PoolView> pools() {
    List<PoolView> live = new ArrayList<>();
    for (PoolView v : pools) {
      if (v.alive()) {
        live.add(v);
      } else {
        pools.remove(v);
      }
    }
    return live;
  }

  public PoolView find(String name) {
    for (PoolView v : pools()) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    return null;
  }

  /** The acquire-time histogram of a pool, created on first use; null past the bound. */
  public AcquireTimes acquireTimesFor(String pool) {
    AcquireTimes t = acquire.get(pool);
    if (t == null && acquire.size() < MAX_POOLS * 4) {
      t = acquire.computeIfAbsent(pool, k -> new AcquireTimes());
    }
    return t;
  }

  public AcquireTimes acquireTimes(String pool) {
    return acquire.get(pool);
  }
}

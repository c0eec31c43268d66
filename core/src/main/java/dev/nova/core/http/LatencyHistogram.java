package dev.nova.core.http;

import dev.nova.core.util.Quantiles;

/**
 * Latencies in fixed buckets (milliseconds, roughly 1-2.5-5 steps up to 60 s), small enough to keep
 * one per route and time slice. The first {@link #EXACT} latencies are also kept as they are: up to
 * that many, percentiles are the real values; past it they interpolate inside the bucket they fall
 * in. Not thread-safe: the tracker holds its lock.
 */
public final class LatencyHistogram {
  static final double[] BOUNDS_MS = {
    1, 2, 5, 10, 25, 50, 75, 100, 150, 250, 500, 750, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000
  };
  static final int EXACT = 16;
  private static final double[] LOWER = new double[BOUNDS_MS.length + 1];
  private static final double[] UPPER = new double[BOUNDS_MS.length + 1];

  static {
    for (int i = 0; i <= BOUNDS_MS.length; i++) {
      LOWER[i] = i == 0 ? 0 : BOUNDS_MS[i - 1];
      UPPER[i] = i < BOUNDS_MS.length ? BOUNDS_MS[i] : Double.MAX_VALUE;
    }
  }

  final long[] counts = new long[BOUNDS_MS.length + 1];
  long total;
  long maxNanos;

  /** The latencies themselves while {@code total <= EXACT}; allocated at the first one. */
  private long[] exact;

  public void add(long nanos) {
    double ms = nanos / 1e6;
    int i = 0;
    while (i < BOUNDS_MS.length && ms > BOUNDS_MS[i]) {
      i++;
    }
    counts[i]++;
    keepAt(total, nanos);
    total++;
    if (nanos > maxNanos) {
      maxNanos = nanos;
    }
  }

  private void keepAt(long index, long nanos) {
    if (index < EXACT) {
      if (exact == null) {
        exact = new long[EXACT];
      }
      exact[(int) index] = nanos;
    }
  }

  public void addAll(LatencyHistogram o) {
    if (total + o.total <= EXACT) {
      for (int i = 0; i < o.total; i++) {
        keepAt(total + i, o.exact[i]);
      }
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += o.counts[i];
    }
    total += o.total;
    maxNanos = Math.max(maxNanos, o.maxNanos);
  }

  /** The {@code q} quantile in milliseconds, or 0 with no data. */
  public double quantileMs(double q) {
    if (total <= EXACT) {
      return Quantiles.nearestRank(exact, (int) total, q) / 1e6;
    }
    return Quantiles.interpolate(counts, LOWER, UPPER, maxNanos / 1e6, q);
  }
}

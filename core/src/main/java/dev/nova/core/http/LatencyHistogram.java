package dev.nova.core.http;

/**
 * Latencies in fixed buckets (milliseconds, roughly 1-2.5-5 steps up to 60 s), small enough to keep
 * one per route and time slice; percentiles interpolate inside the bucket they fall in.
 */
final class LatencyHistogram {
  static final double[] BOUNDS_MS = {
    1, 2, 5, 10, 25, 50, 75, 100, 150, 250, 500, 750, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000
  };

  final long[] counts = new long[BOUNDS_MS.length + 1];
  long total;
  long maxNanos;

  void add(long nanos) {
    double ms = nanos / 1e6;
    int i = 0;
    while (i < BOUNDS_MS.length && ms > BOUNDS_MS[i]) {
      i++;
    }
    counts[i]++;
    total++;
    if (nanos > maxNanos) {
      maxNanos = nanos;
    }
  }

  void addAll(LatencyHistogram o) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += o.counts[i];
    }
    total += o.total;
    maxNanos = Math.max(maxNanos, o.maxNanos);
  }

  /** The {@code q} quantile in milliseconds, or 0 with no data. */
  double quantileMs(double q) {
    if (total == 0) {
      return 0;
    }
    double rank = q * total;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      if (seen + counts[i] >= rank) {
        double lo = i == 0 ? 0 : BOUNDS_MS[i - 1];
        double hi = i < BOUNDS_MS.length ? BOUNDS_MS[i] : maxNanos / 1e6;
        double at = lo + (hi - lo) * ((rank - seen) / counts[i]);
        return Math.min(at, maxNanos / 1e6);
      }
      seen += counts[i];
    }
    return maxNanos / 1e6;
  }
}

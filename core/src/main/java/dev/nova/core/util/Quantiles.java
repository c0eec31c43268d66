package dev.nova.core.util;

import java.util.Arrays;

/**
 * Percentiles as Nova prints them. A few samples are kept exactly and their percentiles are the
 * real values (nearest rank: with 10 samples, p95 and p99 are the largest); past that a percentile
 * is read off a histogram by linear interpolation inside the bucket it falls in, never above the
 * largest value seen. A bare bucket edge ({@code 1048.576} for every quantile of ten acquires that
 * took 0.6 to 1 s) says nothing true about any sample.
 */
public final class Quantiles {
  private Quantiles() {}

  /**
   * The {@code q} quantile by nearest rank of the first {@code n} values; 0 when there are none.
   */
  public static long nearestRank(long[] values, int n, double q) {
    if (n <= 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * n);
    return sorted[Math.min(n, Math.max(1, rank)) - 1];
  }

  /**
   * The {@code q} quantile read off bucket counts: {@code lower[i]} and {@code upper[i]} bound
   * bucket {@code i}; the result is interpolated by rank inside the bucket and capped at {@code
   * max}.
   */
  public static double interpolate(
      long[] counts, double[] lower, double[] upper, double max, double q) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
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
        double hi = Math.min(upper[i], max);
        double lo = Math.min(lower[i], hi);
        return Math.min(lo + (hi - lo) * ((rank - seen) / counts[i]), max);
      }
      seen += counts[i];
    }
    return max;
  }
}

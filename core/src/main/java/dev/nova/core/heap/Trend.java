package dev.nova.core.heap;

import java.util.Arrays;

/**
 * A robust trend through (time, value) points: the Theil-Sen slope (the median of every pairwise
 * slope), which one outlier cannot bend, and how consistent the rise is (the share of pairs that
 * rise).
 *
 * @param slopePerNano value per nanosecond
 * @param risingShare share of point pairs where the later value is higher, 0..1
 * @param points how many points went in
 */
public record Trend(double slopePerNano, double risingShare, int points) {

  /** The trend of {@code values} at {@code times} (same length, at least two points). */
  public static Trend of(long[] times, long[] values) {
    int n = times.length;
    if (n < 2) {
      return new Trend(0, 0, n);
    }
    double[] slopes = new double[n * (n - 1) / 2];
    int k = 0;
    int rising = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        long dt = times[j] - times[i];
        if (dt <= 0) {
          continue;
        }
        double s = (double) (values[j] - values[i]) / dt;
        slopes[k++] = s;
        if (s > 0) {
          rising++;
        }
      }
    }
    if (k == 0) {
      return new Trend(0, 0, n);
    }
    double[] used = Arrays.copyOf(slopes, k);
    Arrays.sort(used);
    double median = k % 2 == 1 ? used[k / 2] : (used[k / 2 - 1] + used[k / 2]) / 2;
    return new Trend(median, (double) rising / k, n);
  }

  /** The slope in megabytes per minute, when the values are bytes. */
  public double megabytesPerMinute() {
    return slopePerNano * 60e9 / (1024 * 1024);
  }
}

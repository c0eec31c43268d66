package dev.nova.core.http;

import java.util.Map;
import java.util.TreeMap;

/**
 * Responses by status code, for one route in one slice: parallel arrays of codes and counts, since
 * a route answers a handful of statuses and the request path must not box an {@code Integer} and a
 * {@code Long} per request. Not thread-safe: the window's stripe lock guards it.
 */
final class StatusCounts {
  private int[] codes = new int[2];
  private long[] counts = new long[2];
  private int size;

  void add(int status, long n) {
    for (int i = 0; i < size; i++) {
      if (codes[i] == status) {
        counts[i] += n;
        return;
      }
    }
    if (size == codes.length) {
      codes = java.util.Arrays.copyOf(codes, size * 2);
      counts = java.util.Arrays.copyOf(counts, size * 2);
    }
    codes[size] = status;
    counts[size] = n;
    size++;
  }

  void addAll(StatusCounts o) {
    for (int i = 0; i < o.size; i++) {
      add(o.codes[i], o.counts[i]);
    }
  }

  /** Sorted by code, for the report and the evidence (off the request path). */
  Map<Integer, Long> asMap() {
    Map<Integer, Long> m = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      m.put(codes[i], counts[i]);
    }
    return m;
  }
}

package dev.nova.core.heap;

import dev.nova.core.diagnosis.NovaClock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The share of wall time spent in GC over a window, from the collectors' accumulated time sampled
 * at each detector round.
 */
public final class GcShare {
  private final NovaClock clock;
  private final LongSupplier gcMillis;
  private final long windowNanos;
  private final Deque<long[]> samples = new ArrayDeque<>();

  /** The wall time the share is judged over at the least (or the window, if shorter). */
  static final long JUDGED_AFTER = 10_000_000_000L;

  public GcShare(NovaClock clock, LongSupplier gcMillis, long windowNanos) {
    this.clock = clock;
    this.gcMillis = gcMillis;
    this.windowNanos = windowNanos;
  }

  /** Takes one sample; called every detector round. */
  public synchronized void sample() {
    long now = clock.nanoTime();
    samples.addLast(new long[] {now, gcMillis.getAsLong()});
    while (samples.size() > 2 && now - samples.peekFirst()[0] > windowNanos) {
      samples.removeFirst();
    }
    while (samples.size() > 4_096) {
      samples.removeFirst();
    }
  }

  /** GC time over wall time across the samples in the window, 0..1; 0 before two samples. */
  public synchronized double share() {
    if (samples.size() < 2) {
      return 0;
    }
    long[] first = samples.peekFirst();
    long[] last = samples.peekLast();
    long wall = last[0] - first[0];
    if (wall <= 0) {
      return 0;
    }
    return Math.min(1.0, (last[1] - first[1]) * 1_000_000.0 / wall);
  }

  /** How much of the window the samples cover, in nanoseconds. */
  public synchronized long coveredNanos() {
    return samples.size() < 2 ? 0 : samples.peekLast()[0] - samples.peekFirst()[0];
  }

  /**
   * Whether enough wall time is covered to judge the share: {@link #JUDGED_AFTER} or the whole
   * window if shorter. Over a JVM's first second one full collection of 120 ms is 12%.
   */
  public boolean judged() {
    return coveredNanos() >= Math.min(windowNanos, JUDGED_AFTER);
  }
}

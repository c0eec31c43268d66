package dev.nova.core.threads;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.Hold;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.jdbc.AppFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code THREAD_LEAK}: the live thread count keeps rising over {@code threads.window}. Evidence
 * groups the live threads by the stack that started them and by name pattern. Held for {@code
 * findings.hold} (30 s) after the rise stops.
 *
 * <p>The trend is read only from the moment the host has settled: its live count flat for a quarter
 * of the window (at least {@link #SETTLE_ROUNDS} rounds), or the window's length after the first
 * round, whichever comes first. A service starts its pools, its event loops on their first
 * connection and Nova its JFR threads over its first seconds, and on a loaded machine that start
 * spreads over several rounds; a leak that runs from the first second is still seen, once the
 * window no longer reaches back to the start.
 */
public final class ThreadLeakDetector implements Detector {
  static final int MIN_SAMPLES = 6;
  static final int SETTLE_ROUNDS = 3;

  private final ThreadMonitor monitor;
  private final long windowNanos;
  private final Hold hold;
  private long firstAt = Long.MIN_VALUE;
  private long flatSince = Long.MIN_VALUE;
  private int flatRounds;
  private long lastLive = -1;
  private long settledAt = Long.MIN_VALUE;

  /** The finding is held for {@code hold} after the rise stops. */
  public ThreadLeakDetector(ThreadMonitor monitor, Duration window, Duration hold) {
    this.hold = new Hold(hold);
    this.monitor = monitor;
    this.windowNanos = window.toNanos();
  }

  @Override
  public String name() {
    return "threads";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    monitor.sample();
    long now = clock.nanoTime();
    List<Finding> out = new ArrayList<>(1);
    hold.add(out, judge(monitor.samples(windowNanos)), now);
    return out;
  }

  /** The round's verdict on the window's samples, the latest last. */
  Finding judge(List<long[]> samples) {
    if (samples.isEmpty() || !settled(samples.get(samples.size() - 1))) {
      return null;
    }
    return leak(since(samples));
  }

  /** Whether the host has settled, given the round's sample {time, live, startedTotal}. */
  private boolean settled(long[] sample) {
    if (settledAt != Long.MIN_VALUE) {
      return true;
    }
    long at = sample[0];
    if (firstAt == Long.MIN_VALUE) {
      firstAt = at;
    }
    if (lastLive < 0 || sample[1] > lastLive) {
      flatSince = at;
      flatRounds = 0;
    } else {
      flatRounds++;
    }
    lastLive = sample[1];
    if ((flatRounds >= SETTLE_ROUNDS && at - flatSince >= windowNanos / 4)
        || at - firstAt >= windowNanos) {
      // settled by time: the window no longer reaches back to the start
      settledAt = flatRounds >= SETTLE_ROUNDS ? flatSince : firstAt;
      return true;
    }
    return false;
  }

  private List<long[]> since(List<long[]> samples) {
    int from = 0;
    while (from < samples.size() && samples.get(from)[0] < settledAt) {
      from++;
    }
    return samples.subList(from, samples.size());
  }

  Finding leak(List<long[]> samples) {
    if (samples.size() < MIN_SAMPLES) {
      return null;
    }
    long[] first = samples.get(0);
    long[] lastSample = samples.get(samples.size() - 1);
    long span = lastSample[0] - first[0];
    if (span < windowNanos / 2) {
      return null;
    }
    int up = 0;
    int down = 0;
    for (int i = 1; i < samples.size(); i++) {
      long d = samples.get(i)[1] - samples.get(i - 1)[1];
      if (d > 0) {
        up++;
      } else if (d < 0) {
        down++;
      }
    }
    long grown = lastSample[1] - first[1];
    // rising, rarely falling, and by a real amount: a pool that grows and shrinks is not a leak
    if (grown < Math.max(10, first[1] / 5) || up == 0 || down > up / 10) {
      return null;
    }
    // and still rising in the second half of the window: a service starting its pools climbs
    // in one step and then stays flat, a leak keeps climbing
    long midTime = first[0] + span / 2;
    long[] mid = first;
    for (long[] sample : samples) {
      if (sample[0] <= midTime) {
        mid = sample;
      }
    }
    long lateGrowth = lastSample[1] - mid[1];
    if (lateGrowth < Math.max(5, grown / 4)) {
      return null;
    }
    double perMinute = grown * 60e9 / span;
    List<Evidence> sites = new ArrayList<>();
    String where = null; // the largest creation site's application frame
    for (Map.Entry<ThreadMonitor.Site, Integer> e : monitor.liveBySite()) {
      if (where == null) {
        where = AppFrames.firstApplication(e.getKey().frames());
      }
      if (sites.size() == 5) {
        break;
      }
      sites.add(
          Evidence.builder()
              .put("startedAt", e.getKey().key())
              .put("liveThreads", e.getValue())
              .list("stack", e.getKey().frames())
              .build());
    }
    List<Evidence> names = new ArrayList<>();
    for (Map.Entry<String, Integer> e : monitor.liveByName()) {
      if (names.size() == 5) {
        break;
      }
      names.add(
          Evidence.builder().put("pattern", e.getKey()).put("liveThreads", e.getValue()).build());
    }
    return new Finding(
            FindingCode.THREAD_LEAK,
            perMinute >= 100 ? Severity.HIGH : Severity.MEDIUM,
            String.format(
                "live threads rose from %d to %d (%.0f a minute)",
                first[1], lastSample[1], perMinute),
            Evidence.builder()
                .put("liveNow", lastSample[1])
                .put("liveAtWindowStart", first[1])
                .put("perMinute", Math.round(perMinute * 10) / 10.0)
                .put("windowSeconds", windowNanos / 1_000_000_000)
                .put("creationSites", monitor.jfrStatus())
                .list("byCreationSite", sites)
                .list("byName", names)
                .build(),
            List.of(ActionNames.THREAD_DUMP))
        .at(where);
  }
}

package dev.nova.core.jdbc;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The runbook's scenario 4 as detectors: leaks, slow statements, an unreachable database. */
public final class JdbcDetectors {
  static final long RECENT_NANOS = Duration.ofMinutes(10).toNanos();
  static final long FAILURE_WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
  static final int SHOWN = 5;

  private JdbcDetectors() {}

  private abstract static class Base implements Detector {
    final JdbcTracker tracker;

    Base(JdbcTracker tracker) {
      this.tracker = tracker;
    }
  }

  /** The first application frame of the first row's printed stack {@code key}, or null. */
  static String firstFrame(List<Evidence> rows, String key) {
    for (Evidence row : rows) {
      if (row.get(key) instanceof List<?> stack) {
        List<String> printed = new ArrayList<>();
        for (Object o : stack) {
          printed.add(String.valueOf(o));
        }
        String f = AppFrames.firstApplication(printed);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  /** {@code DB_CONNECTION_LEAK}: held past the threshold, or collected without close(). */
  public static Detector leaks(JdbcTracker tracker, Duration threshold) {
    long limit = threshold.toNanos();
    return new Base(tracker) {
      @Override
      public String name() {
        return "jdbc-leaks";
      }

      @Override
      public List<Finding> evaluate(NovaClock clock) {
        tracker.drainCollected();
        long now = clock.nanoTime();
        List<Lease> suspects = new ArrayList<>();
        for (Lease l : tracker.leases()) {
          if (l.heldNanos(now) >= limit) {
            suspects.add(l);
            tracker.reportSuspect(l);
          }
        }
        List<JdbcTracker.LeakRecord> proven = new ArrayList<>();
        for (JdbcTracker.LeakRecord r : tracker.collectedLeaks()) {
          if (now - r.at() <= RECENT_NANOS) {
            proven.add(r);
          }
        }
        if (suspects.isEmpty() && proven.isEmpty()) {
          return List.of();
        }
        Severity sev = !proven.isEmpty() || suspects.size() >= 5 ? Severity.HIGH : Severity.MEDIUM;
        List<Evidence> held = new ArrayList<>();
        for (Lease l : suspects.subList(0, Math.min(SHOWN, suspects.size()))) {
          held.add(JdbcSignals.lease(tracker, l, now));
        }
        List<Evidence> collected = new ArrayList<>();
        for (JdbcTracker.LeakRecord r :
            proven.subList(Math.max(0, proven.size() - SHOWN), proven.size())) {
          collected.add(
              Evidence.builder()
                  .put("pool", r.pool())
                  .put("thread", r.thread())
                  .put("heldMs", r.heldNanos() / 1_000_000)
                  .put("secondsAgo", (now - r.at()) / 1_000_000_000)
                  .list("stack", r.stack())
                  .build());
        }
        String title =
            (suspects.isEmpty()
                    ? ""
                    : suspects.size()
                        + " connection(s) held longer than "
                        + threshold.toMillis()
                        + " ms")
                + (!suspects.isEmpty() && !proven.isEmpty() ? "; " : "")
                + (proven.isEmpty()
                    ? ""
                    : proven.size() + " connection(s) garbage collected without close()");
        List<String> actions = new ArrayList<>();
        if (!suspects.isEmpty()) {
          actions.add(ActionNames.CONNECTION_CLOSE_LEAKED);
        }
        actions.add(ActionNames.THREAD_DUMP);
        return List.of(
            new Finding(
                    FindingCode.DB_CONNECTION_LEAK,
                    sev,
                    title,
                    Evidence.builder()
                        .put("suspects", suspects.size())
                        .put("collectedWithoutClose", proven.size())
                        .put("thresholdMs", threshold.toMillis())
                        .list("held", held)
                        .list("collected", collected)
                        .build(),
                    actions)
                .at(firstFrame(held.isEmpty() ? collected : held, "stack")));
      }
    };
  }

  /** {@code DB_SLOW_QUERY}: statements running or finished past the threshold. */
  public static Detector slowQueries(JdbcTracker tracker) {
    return new Base(tracker) {
      @Override
      public String name() {
        return "jdbc-slow";
      }

      @Override
      public List<Finding> evaluate(NovaClock clock) {
        long now = clock.nanoTime();
        long limit = tracker.slowNanos();
        List<Evidence> running = new ArrayList<>();
        long longest = 0;
        for (Execution e : tracker.running()) {
          long elapsed = e.elapsedNanos(now);
          if (elapsed >= limit && running.size() < SHOWN) {
            running.add(JdbcSignals.execution(tracker, e, now, true));
            longest = Math.max(longest, elapsed);
          }
        }
        List<Evidence> finished = new ArrayList<>();
        for (JdbcTracker.SlowSample s : tracker.slowSamples()) {
          if (now - s.endedAt() <= RECENT_NANOS) {
            finished.add(
                Evidence.builder()
                    .put("sql", s.sql())
                    .put("elapsedMs", s.elapsedNanos() / 1_000_000)
                    .put("thread", s.thread())
                    .put("secondsAgo", (now - s.endedAt()) / 1_000_000_000)
                    .put("callingFrame", s.stack().isEmpty() ? "(unknown)" : s.stack().get(0))
                    .list("stack", s.stack())
                    .build());
            longest = Math.max(longest, s.elapsedNanos());
          }
        }
        if (running.isEmpty() && finished.isEmpty()) {
          return List.of();
        }
        List<Evidence> lastFinished =
            finished.subList(Math.max(0, finished.size() - SHOWN), finished.size());
        Severity sev = longest >= 6 * limit ? Severity.HIGH : Severity.MEDIUM;
        return List.of(
            new Finding(
                    FindingCode.DB_SLOW_QUERY,
                    sev,
                    running.size()
                        + " statement(s) running and "
                        + finished.size()
                        + " finished past "
                        + limit / 1_000_000
                        + " ms",
                    Evidence.builder()
                        .put("thresholdMs", limit / 1_000_000)
                        .put("longestMs", longest / 1_000_000)
                        .list("running", running)
                        .list("finished", lastFinished)
                        .build(),
                    running.isEmpty() ? List.of() : List.of(ActionNames.QUERY_CANCEL))
                .at(firstFrame(running.isEmpty() ? lastFinished : running, "stack")));
      }
    };
  }

  /** {@code DB_UNREACHABLE}: connection attempts failing with network-class errors. */
  public static Detector unreachable(JdbcTracker tracker) {
    return new Base(tracker) {
      @Override
      public String name() {
        return "jdbc-unreachable";
      }

      @Override
      public List<Finding> evaluate(NovaClock clock) {
        long now = clock.nanoTime();
        List<JdbcTracker.Failure> recent = new ArrayList<>();
        for (JdbcTracker.Failure f : tracker.failures()) {
          if (now - f.at() <= FAILURE_WINDOW_NANOS) {
            recent.add(f);
          }
        }
        if (recent.isEmpty()) {
          return List.of();
        }
        JdbcTracker.Failure last = recent.get(recent.size() - 1);
        boolean recovered =
            tracker.lastSuccessAt() != Long.MIN_VALUE && tracker.lastSuccessAt() > last.at();
        List<String> targets = new ArrayList<>();
        for (JdbcTracker.Failure f : recent) {
          if (!targets.contains(f.target())) {
            targets.add(f.target());
          }
        }
        Evidence.Builder ev =
            Evidence.builder()
                .put("failuresLastMinute", recent.size())
                .list("targets", targets)
                .put("target", last.target())
                .put("lastError", last.message())
                .put("secondsSinceLastFailure", (now - last.at()) / 1_000_000_000)
                .put("recoveredSince", recovered);
        if (last.sqlState() != null) {
          ev.put("sqlState", last.sqlState());
        }
        return List.of(
            new Finding(
                FindingCode.DB_UNREACHABLE,
                recovered ? Severity.MEDIUM : Severity.CRITICAL,
                (recovered
                        ? "database connections failed intermittently: "
                        : "cannot reach the database at ")
                    + last.target(),
                ev.build(),
                List.of()));
      }
    };
  }
}

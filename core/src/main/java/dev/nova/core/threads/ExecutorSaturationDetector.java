package dev.nova.core.threads;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.Hold;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.finding.StackFrames;
import dev.nova.core.jdbc.AppFrames;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code EXECUTOR_SATURATED}: a registered thread pool whose workers are all busy with tasks
 * waiting in its queue, in four rounds out of five over {@code executor.window}; work handed to it
 * waits for a thread (an {@code @Async} call, a request's offloaded step) and its latency grows
 * with the queue. MEDIUM; HIGH when a bounded queue is full (the next task is rejected) or the
 * backlog grew since the window's first saturated round; one band higher after ten minutes. The
 * window keeps at least three rounds, so a window shorter than two detector intervals still decides
 * on three. Evidence: the pool's figures, what it completed over the window, and, when its workers'
 * name prefix is known, what they are doing: their stacks grouped, the largest group's first
 * application frame as the finding's place.
 */
public final class ExecutorSaturationDetector implements Detector {
  static final int DEPTH = 16;
  static final int MAX_SAMPLES = 1_024;

  /** As the other scenario-1 findings: one band up after ten minutes without clearing. */
  static final Duration ESCALATE_AFTER = Duration.ofMinutes(10);

  /** One round's reading of one pool: when, saturated or not, queued, completed so far. */
  private record Sample(long at, boolean saturated, int queued, long completed) {}

  private static final class State {
    final Deque<Sample> samples = new ArrayDeque<>();
    final Hold hold;

    State(Duration hold) {
      this.hold = new Hold(hold, ESCALATE_AFTER);
    }
  }

  private final ExecutorRegistry registry;
  private final Duration window;
  private final Duration hold;
  private final ThreadMXBean threads;
  private final Map<String, State> states = new HashMap<>();

  public ExecutorSaturationDetector(ExecutorRegistry registry, Duration window, Duration hold) {
    this(registry, window, hold, ManagementFactory.getThreadMXBean());
  }

  ExecutorSaturationDetector(
      ExecutorRegistry registry, Duration window, Duration hold, ThreadMXBean threads) {
    this.registry = registry;
    this.window = window;
    this.hold = hold;
    this.threads = threads;
  }

  @Override
  public String name() {
    return "executor-saturation";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    List<ExecutorRegistry.Figures> all = registry.figures();
    if (all.isEmpty() && states.isEmpty()) {
      return List.of();
    }
    long now = clock.nanoTime();
    List<Finding> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ExecutorRegistry.Figures f : all) {
      seen.add(f.name());
      State s = states.computeIfAbsent(f.name(), k -> new State(hold));
      s.samples.addLast(new Sample(now, f.saturated(), f.queued(), f.completed()));
      while (s.samples.size() > MAX_SAMPLES
          || (s.samples.size() > 3 && now - s.samples.getFirst().at() > window.toNanos())) {
        s.samples.removeFirst();
      }
      s.hold.add(out, saturated(f, s.samples, now, all), now);
    }
    states.keySet().retainAll(seen);
    return out;
  }

  private Finding saturated(
      ExecutorRegistry.Figures f,
      Deque<Sample> samples,
      long now,
      List<ExecutorRegistry.Figures> all) {
    if (!f.saturated()
        || samples.size() < 3
        || now - samples.getFirst().at() < window.toNanos() / 2) {
      return null; // not now, or not enough of the window seen
    }
    int rounds = 0;
    for (Sample x : samples) {
      if (x.saturated()) {
        rounds++;
      }
    }
    if (rounds * 5 < samples.size() * 4) {
      return null;
    }
    Sample first = samples.getFirst();
    Sample firstSaturated = first;
    for (Sample x : samples) {
      if (x.saturated()) {
        firstSaturated = x;
        break;
      }
    }
    boolean growing = f.queued() > firstSaturated.queued() && f.queued() >= f.poolSize();
    boolean high = f.queueFull() || growing;
    Evidence.Builder e =
        Evidence.builder()
            .put("executor", f.name())
            .put("active", f.active())
            .put("poolSize", f.poolSize())
            .put("coreSize", f.coreSize())
            .put("maxSize", f.maxSize())
            .put("queued", f.queued());
    if (f.queueRemaining() < 0) {
      e.put("queueRemaining", "unbounded");
    } else {
      e.put("queueRemaining", f.queueRemaining());
    }
    e.put("queuedWhenSaturated", firstSaturated.queued())
        .put("completedInWindow", f.completed() - first.completed())
        .put("roundsSaturated", rounds)
        .put("rounds", samples.size())
        .put("windowSeconds", window.toSeconds());
    if (f.createdAt() != null) {
      e.put("createdAt", f.createdAt());
    }
    String where = workers(f, e, all);
    if (where == null) {
      where = f.createdAt(); // no workers' stacks: the place that sized the pool
    }
    return new Finding(
            FindingCode.EXECUTOR_SATURATED,
            high ? Severity.HIGH : Severity.MEDIUM,
            "executor "
                + f.name()
                + " is saturated: "
                + f.active()
                + "/"
                + f.poolSize()
                + " workers busy, "
                + f.queued()
                + " task(s) queued"
                + (f.queueFull() ? ", its queue is full" : growing ? " and growing" : ""),
            e.build(),
            List.of(ActionNames.THREAD_DUMP, ActionNames.CPU_PROFILE))
        .at(where);
  }

  /**
   * The workers' stacks grouped, when they can be told: by their name prefix, or (a pool of a class
   * of its own, Tomcat's, the only one of it watched) as the threads running that class's workers
   * that are not waiting for a task. The place to look, or null.
   */
  private String workers(
      ExecutorRegistry.Figures f, Evidence.Builder e, List<ExecutorRegistry.Figures> all) {
    Map<List<String>, List<String>> byStack = new LinkedHashMap<>();
    if (f.threadPrefix() != null) {
      List<Long> ids = new ArrayList<>();
      for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
        if (ti != null && ti.getThreadName().startsWith(f.threadPrefix())) {
          ids.add(ti.getThreadId());
        }
      }
      long[] named = ids.stream().mapToLong(Long::longValue).toArray();
      for (ThreadInfo ti : threads.getThreadInfo(named, DEPTH)) {
        if (ti != null) {
          byStack
              .computeIfAbsent(
                  StackFrames.format(ti.getStackTrace(), DEPTH), k -> new ArrayList<>())
              .add(ti.getThreadName());
        }
      }
      e.put("threadPrefix", f.threadPrefix());
    } else if (f.workerClass() != null && onlyOne(f.workerClass(), all)) {
      for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds(), Integer.MAX_VALUE)) {
        if (ti != null && busyWorker(ti.getStackTrace(), f.workerClass())) {
          byStack
              .computeIfAbsent(
                  StackFrames.format(ti.getStackTrace(), DEPTH), k -> new ArrayList<>())
              .add(ti.getThreadName());
        }
      }
      e.put("workerClass", f.workerClass());
    } else {
      return null;
    }
    e.list("workers", StackGroups.evidence(byStack));
    List<Map.Entry<List<String>, List<String>>> groups = StackGroups.largestFirst(byStack);
    return groups.isEmpty() ? null : AppFrames.firstApplication(groups.get(0).getKey());
  }

  private static boolean onlyOne(String workerClass, List<ExecutorRegistry.Figures> all) {
    int n = 0;
    for (ExecutorRegistry.Figures x : all) {
      if (workerClass.equals(x.workerClass())) {
        n++;
      }
    }
    return n == 1;
  }

  /** A thread running a worker of {@code pool}'s class, and not waiting for its next task. */
  static boolean busyWorker(StackTraceElement[] stack, String pool) {
    boolean worker = false;
    for (StackTraceElement el : stack) {
      if (el.getClassName().startsWith(pool)) {
        if (el.getMethodName().equals("getTask")) {
          return false;
        }
        worker = true;
      }
    }
    return worker;
  }
}

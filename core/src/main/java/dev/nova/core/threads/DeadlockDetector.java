package dev.nova.core.threads;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.finding.StackFrames;
import dev.nova.core.jdbc.AppFrames;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code THREAD_DEADLOCK}: threads waiting on each other for monitors or {@code
 * java.util.concurrent} locks, found by the JVM itself ({@code ThreadMXBean.findDeadlockedThreads},
 * one cheap VM operation a round). Each cycle is evidence of its own: every thread in it with its
 * state, the lock it waits on, the thread that owns that lock, and its stack. CRITICAL: those
 * threads never come back, and whatever waits on what they hold hangs too. Held while it lasts (a
 * deadlock does not end on its own); nothing to remedy in-process but the thread dump.
 */
public final class DeadlockDetector implements Detector {
  static final int DEPTH = 24;
  static final int MAX_CYCLES = 8;

  private final ThreadMXBean threads;

  public DeadlockDetector() {
    this(ManagementFactory.getThreadMXBean());
  }

  DeadlockDetector(ThreadMXBean threads) {
    this.threads = threads;
  }

  @Override
  public String name() {
    return "thread-deadlock";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    long[] ids = threads.findDeadlockedThreads();
    if (ids == null || ids.length == 0) {
      return List.of();
    }
    ThreadInfo[] infos =
        threads.getThreadInfo(
            ids, threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported());
    Map<Long, ThreadInfo> byId = new HashMap<>();
    for (ThreadInfo ti : infos) {
      if (ti != null) {
        byId.put(ti.getThreadId(), ti);
      }
    }
    List<List<ThreadInfo>> cycles = cycles(byId);
    if (cycles.isEmpty()) {
      return List.of(); // the threads moved on between the two calls
    }
    List<Evidence> shown = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    String where = null; // the first deadlocked thread's application frame
    for (List<ThreadInfo> cycle : cycles.subList(0, Math.min(MAX_CYCLES, cycles.size()))) {
      List<Evidence> members = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (ThreadInfo ti : cycle) {
        names.add(ti.getThreadName());
        Evidence.Builder b =
            Evidence.builder()
                .put("thread", ti.getThreadName())
                .put("state", ti.getThreadState().name())
                .put("waitsOn", lockName(ti.getLockInfo()))
                .put("ownedBy", String.valueOf(ti.getLockOwnerName()));
        List<String> holds = new ArrayList<>();
        for (var m : ti.getLockedMonitors()) {
          holds.add(lockName(m));
        }
        for (var l : ti.getLockedSynchronizers()) {
          holds.add(lockName(l));
        }
        b.list("holds", holds);
        List<String> stack = StackFrames.format(ti.getStackTrace(), DEPTH);
        b.list("stack", stack);
        if (where == null) {
          where = AppFrames.firstApplication(stack);
        }
        members.add(b.build());
      }
      summary.add(String.join(" <-> ", names));
      shown.add(Evidence.builder().put("threads", cycle.size()).list("cycle", members).build());
    }
    return List.of(
        new Finding(
                FindingCode.THREAD_DEADLOCK,
                Severity.CRITICAL,
                ids.length
                    + " threads deadlocked in "
                    + cycles.size()
                    + (cycles.size() == 1 ? " cycle: " : " cycles: ")
                    + String.join("; ", summary),
                Evidence.builder()
                    .put("deadlockedThreads", ids.length)
                    .put("cycles", cycles.size())
                    .list("cyclesFound", shown)
                    .put(
                        "remedy",
                        "no in-process fix: the threads never return; restart the process after"
                            + " taking the thread dump, and fix the lock order")
                    .build(),
                List.of(ActionNames.THREAD_DUMP))
            .at(where));
  }

  /**
   * Each cycle once, from its lowest thread id, following lock owners; a thread whose chain leads
   * into a cycle (a waiter on it) is listed with that cycle.
   */
  static List<List<ThreadInfo>> cycles(Map<Long, ThreadInfo> byId) {
    List<List<ThreadInfo>> out = new ArrayList<>();
    Map<Long, Integer> cycleOf = new HashMap<>();
    List<Long> ids = new ArrayList<>(byId.keySet());
    java.util.Collections.sort(ids);
    for (long start : ids) {
      if (cycleOf.containsKey(start)) {
        continue;
      }
      List<ThreadInfo> path = new ArrayList<>();
      Set<Long> seen = new HashSet<>();
      long id = start;
      while (byId.containsKey(id) && seen.add(id) && !cycleOf.containsKey(id)) {
        path.add(byId.get(id));
        id = byId.get(id).getLockOwnerId();
      }
      Integer into = cycleOf.get(id);
      int index;
      if (into != null) {
        index = into;
        out.get(index).addAll(path);
      } else {
        index = out.size();
        out.add(path);
      }
      for (ThreadInfo ti : path) {
        cycleOf.put(ti.getThreadId(), index);
      }
    }
    return out;
  }

  static String lockName(LockInfo l) {
    return l == null
        ? "(none)"
        : l.getClassName() + "@" + Integer.toHexString(l.getIdentityHashCode());
  }
}

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
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code LOCK_CONTENTION}: many threads waiting for the same monitor or {@code
 * java.util.concurrent} lock, round after round. Each round reads every thread's state and the lock
 * it waits for, without stacks (one cheap call); a lock that at least {@code lock.waiters} threads
 * wait for in four rounds out of five over {@code lock.window} is contended. Evidence: the lock's
 * class, its owner now and the owner's stack, the waiters (named, their stacks grouped), and the
 * wait it costs: the average number of waiters over the window is the thread-seconds lost each
 * second. MEDIUM; HIGH when at least half the threads of the waiters' pool (their names with digits
 * folded, {@code http-nio-8080-exec-{n}}) wait. Deadlocks are {@code THREAD_DEADLOCK}'s.
 */
public final class LockContentionDetector implements Detector {
  static final int DEPTH = 16;
  static final int MAX_SAMPLES = 1_024;

  private record Sample(long at, Map<String, Integer> waiters) {}

  private final int minWaiters;
  private final Duration window;
  private final Hold hold;
  private final ThreadMXBean threads;
  private final Deque<Sample> samples = new ArrayDeque<>();

  public LockContentionDetector(int minWaiters, Duration window, Duration hold) {
    this(minWaiters, window, hold, ManagementFactory.getThreadMXBean());
  }

  LockContentionDetector(int minWaiters, Duration window, Duration hold, ThreadMXBean threads) {
    this.minWaiters = minWaiters;
    this.window = window;
    this.hold = new Hold(hold);
    this.threads = threads;
  }

  @Override
  public String name() {
    return "lock-contention";
  }

  static String lockName(LockInfo l) {
    return l.getClassName() + "@" + Integer.toHexString(l.getIdentityHashCode());
  }

  /** A thread waits for a lock someone holds: blocked on a monitor, or parked on an owned lock. */
  static boolean waitsForLock(ThreadInfo ti) {
    LockInfo l = ti.getLockInfo();
    if (l == null) {
      return false;
    }
    return switch (ti.getThreadState()) {
      case BLOCKED -> true;
      case WAITING, TIMED_WAITING -> ti.getLockOwnerId() >= 0 && !ti.isInNative();
      default -> false;
    };
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    long now = clock.nanoTime();
    ThreadInfo[] infos = threads.getThreadInfo(threads.getAllThreadIds(), 0);
    Map<String, Integer> waiters = new HashMap<>();
    for (ThreadInfo ti : infos) {
      if (ti != null && waitsForLock(ti)) {
        waiters.merge(lockName(ti.getLockInfo()), 1, Integer::sum);
      }
    }
    waiters.values().removeIf(n -> n < minWaiters);
    samples.addLast(new Sample(now, waiters));
    while (samples.size() > MAX_SAMPLES
        || (samples.size() > 3 && now - samples.getFirst().at() > window.toNanos())) {
      samples.removeFirst();
    }
    List<Finding> out = new ArrayList<>();
    hold.add(out, contended(infos, now), now);
    return out;
  }

  private Finding contended(ThreadInfo[] infos, long now) {
    if (samples.size() < 3 || now - samples.getFirst().at() < window.toNanos() / 2) {
      return null; // not enough of the window seen
    }
    Map<String, int[]> rounds = new HashMap<>(); // lock -> {rounds contended, waiters summed}
    for (Sample s : samples) {
      s.waiters()
          .forEach(
              (lock, n) -> {
                int[] r = rounds.computeIfAbsent(lock, k -> new int[2]);
                r[0]++;
                r[1] += n;
              });
    }
    String worst = null;
    int[] worstRounds = null;
    for (Map.Entry<String, int[]> e : rounds.entrySet()) {
      if (e.getValue()[0] * 5 >= samples.size() * 4
          && (worstRounds == null || e.getValue()[1] > worstRounds[1])) {
        worst = e.getKey();
        worstRounds = e.getValue();
      }
    }
    if (worst == null) {
      return null;
    }
    // the waiters now, their owner, and their stacks
    List<Long> waiting = new ArrayList<>();
    long owner = -1;
    String ownerName = null;
    for (ThreadInfo ti : infos) {
      if (ti != null && waitsForLock(ti) && lockName(ti.getLockInfo()).equals(worst)) {
        waiting.add(ti.getThreadId());
        if (ti.getLockOwnerId() >= 0) {
          owner = ti.getLockOwnerId();
          ownerName = ti.getLockOwnerName();
        }
      }
    }
    if (waiting.isEmpty()) {
      return null; // it just let go
    }
    long[] ids = new long[waiting.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = waiting.get(i);
    }
    Map<List<String>, List<String>> byStack = new LinkedHashMap<>();
    Map<String, int[]> pools = new HashMap<>();
    for (ThreadInfo ti : threads.getThreadInfo(ids, DEPTH)) {
      if (ti == null) {
        continue;
      }
      List<String> stack = StackFrames.format(ti.getStackTrace(), DEPTH);
      byStack.computeIfAbsent(stack, k -> new ArrayList<>()).add(ti.getThreadName());
    }
    for (ThreadInfo ti : infos) {
      if (ti != null) {
        int[] p = pools.computeIfAbsent(ThreadMonitor.fold(ti.getThreadName()), k -> new int[2]);
        p[0]++;
        if (waiting.contains(ti.getThreadId())) {
          p[1]++;
        }
      }
    }
    boolean most = false;
    String pool = null;
    for (Map.Entry<String, int[]> p : pools.entrySet()) {
      if (p.getValue()[1] > 0 && (pool == null || p.getValue()[1] > pools.get(pool)[1])) {
        pool = p.getKey();
      }
    }
    if (pool != null) {
      int[] p = pools.get(pool);
      most = p[1] * 2 >= p[0] && p[0] >= 2;
    }
    Evidence.Builder e =
        Evidence.builder()
            .put("lock", worst)
            .put("lockClass", worst.substring(0, worst.lastIndexOf('@')))
            .put("waitersNow", waiting.size())
            .put("waitSecondsPerSecond", Math.round(worstRounds[1] * 10.0 / samples.size()) / 10.0)
            .put("roundsContended", worstRounds[0])
            .put("rounds", samples.size())
            .put("windowSeconds", window.toSeconds());
    if (pool != null) {
      e.put("waitersPool", pool).put("poolThreads", pools.get(pool)[0]);
    }
    String where = null; // the code holding the lock, else the code waiting for it
    if (owner >= 0) {
      ThreadInfo o = threads.getThreadInfo(owner, DEPTH);
      e.put("owner", String.valueOf(ownerName));
      if (o != null) {
        List<String> ownerStack = StackFrames.format(o.getStackTrace(), DEPTH);
        e.put("ownerState", o.getThreadState().name()).list("ownerStack", ownerStack);
        where = AppFrames.firstApplication(ownerStack);
      }
    }
    e.list("waiters", StackGroups.evidence(byStack));
    if (where == null && !byStack.isEmpty()) {
      where = AppFrames.firstApplication(StackGroups.largestFirst(byStack).get(0).getKey());
    }
    return new Finding(
            FindingCode.LOCK_CONTENTION,
            most ? Severity.HIGH : Severity.MEDIUM,
            waiting.size()
                + " threads waiting for "
                + worst
                + (ownerName == null ? "" : " held by " + ownerName)
                + (most ? "; most of " + pool + " waits" : ""),
            e.build(),
            List.of(ActionNames.THREAD_DUMP, ActionNames.CPU_PROFILE))
        .at(where);
  }
}

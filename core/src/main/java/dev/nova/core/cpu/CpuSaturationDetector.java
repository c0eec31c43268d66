package dev.nova.core.cpu;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.Hold;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.finding.StackFrames;
import dev.nova.core.jvm.JfrStream;
import java.lang.management.ClassLoadingMXBean;
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
 * {@code CPU_SATURATION} (runbook scenario 1, "If High CPU Usage"): the CPU this process uses, from
 * its own CPU time over wall time and the CPUs the JVM may use, stays at or above {@code cpu.high}
 * over {@code cpu.window}. MEDIUM; HIGH when it has been at or above 95% for five minutes.
 *
 * <p>The CPU is <em>suspect</em> from the first round it is that busy (since the previous round, or
 * over the last ten seconds), so well before the finding. While it is suspect, each round reads
 * every thread's CPU time (the JVM's own counters: the busiest threads since the previous round)
 * and the stacks of the busiest. Once it has been suspect for half of {@code cpu.window} (at most
 * 30 s), JFR execution sampling runs too (every 100 ms, through Nova's stream), even inside {@code
 * jfr.delay} unless the JVM is still loading classes at start-up's pace (then it waits for the
 * delay: a start-up is busy by nature). JFR's start and stream cost a loaded server most (x0.72 of
 * bare throughput on a saturated Netty, docs/performance.md), so a burst shorter than that never
 * pays it. The evidence names the hottest application methods from JFR's samples; while JFR has
 * none yet (not started, off, or unavailable), from the stacks of the busiest threads read each
 * round; so the first report of the finding names the code. Sampling stops a minute after the CPU
 * has calmed.
 */
public final class CpuSaturationDetector implements Detector {
  static final Duration SUSPECT = Duration.ofSeconds(10);
  static final Duration LONG = Duration.ofMinutes(5);
  static final double VERY_HIGH = 0.95;
  static final Duration CALM = Duration.ofMinutes(1);

  /** The longest the CPU is suspect before JFR sampling starts (else half of the window). */
  static final Duration SAMPLE_AFTER = Duration.ofSeconds(30);

  static final int MAX_SAMPLES = 4096;

  /** Threads shown, and whose stacks are read each suspect round. */
  static final int BUSIEST = 5;

  /** A thread busier than this share of one core since the previous round has its stack read. */
  static final double BUSY = 0.10;

  static final int STACK_DEPTH = 64;

  /** Classes loaded per second above which the JVM is taken to be starting up or warming up. */
  static final double LOADING = 200;

  private final double high;
  private final Duration window;
  private final HotMethods hot;
  private final JfrStream.Part sampling;
  private final JfrStream jfr;
  private final Hold hold;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
  private final Deque<long[]> samples = new ArrayDeque<>(); // {wall, cpu}
  private long lastSuspected = Long.MIN_VALUE;
  private long suspectSince;
  private final long sampleAfterNanos;
  private Map<Long, long[]> threadCpu = new HashMap<>();
  private List<Evidence> busiest = List.of();
  private final HotMethods stacks = new HotMethods(); // the busiest threads' stacks, each round
  private long loadedBefore = -1;
  private long loadedAt;
  private volatile double lastShare = -1;

  CpuSaturationDetector(
      double high,
      Duration window,
      HotMethods hot,
      JfrStream.Part sampling,
      JfrStream jfr,
      Duration hold) {
    this.high = high;
    this.window = window;
    this.sampleAfterNanos = Math.min(window.toNanos() / 2, SAMPLE_AFTER.toNanos());
    this.hot = hot;
    this.sampling = sampling;
    this.jfr = jfr;
    this.hold = new Hold(hold);
  }

  @Override
  public String name() {
    return "cpu";
  }

  /** Process CPU over wall time and CPUs, 0..1, over the last {@code d}; -1 while unknown. */
  synchronized double share(Duration d, long now) {
    return share(d, now, 0.5);
  }

  /** As above, when at least {@code coverage} of {@code d} has been seen. */
  synchronized double share(Duration d, long now, double coverage) {
    if (samples.size() < 2) {
      return -1;
    }
    long[] last = samples.getLast();
    long[] first = null;
    for (long[] s : samples) {
      if (now - s[0] <= d.toNanos()) {
        first = s;
        break;
      }
    }
    if (first == null || last[0] - first[0] < d.toNanos() * coverage) {
      return -1; // not enough of it seen
    }
    return share(first, last);
  }

  /** The share since the previous round; -1 before the second. */
  synchronized double sincePreviousRound() {
    if (samples.size() < 2) {
      return -1;
    }
    java.util.Iterator<long[]> newestFirst = samples.descendingIterator();
    long[] last = newestFirst.next();
    return share(newestFirst.next(), last);
  }

  private static double share(long[] first, long[] last) {
    if (last[0] <= first[0]) {
      return -1;
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    return (double) (last[1] - first[1]) / ((last[0] - first[0]) * (double) cpus);
  }

  private synchronized void sample(long now) {
    long cpu = dev.nova.core.util.Cpu.processNanos();
    if (cpu < 0) {
      return;
    }
    samples.addLast(new long[] {now, cpu});
    while (samples.size() > MAX_SAMPLES
        || (samples.size() > 2
            && now - samples.getFirst()[0] > LONG.toNanos() + window.toNanos())) {
      samples.removeFirst();
    }
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    long now = clock.nanoTime();
    sample(now);
    double lastRound = sincePreviousRound();
    double recent = share(SUSPECT, now);
    double over = share(window, now);
    lastShare = over;
    boolean loading = classesPerSecond(now) > LOADING;
    if (lastRound >= high || recent >= high || over >= high) {
      if (lastSuspected == Long.MIN_VALUE) {
        hot.clear();
        stacks.clear();
        suspectSince = now;
      }
      lastSuspected = now;
    }
    boolean suspect = lastSuspected != Long.MIN_VALUE && now - lastSuspected < CALM.toNanos();
    sampling.want(
        suspect && now - suspectSince >= sampleAfterNanos && (!loading || jfr.pastDelay()));
    if (suspect) {
      readThreads(now);
    } else {
      lastSuspected = Long.MIN_VALUE;
      threadCpu = new HashMap<>();
      busiest = List.of();
    }
    List<Finding> out = new ArrayList<>();
    Finding f = over >= high ? finding(over, share(LONG, now, 0.95)) : null;
    hold.add(out, f, now);
    return out;
  }

  private double classesPerSecond(long now) {
    long loaded = classes.getTotalLoadedClassCount();
    double rate =
        loadedBefore < 0 || now <= loadedAt ? 0 : (loaded - loadedBefore) * 1e9 / (now - loadedAt);
    loadedBefore = loaded;
    loadedAt = now;
    return rate;
  }

  private Finding finding(double over, double longShare) {
    boolean veryLong = longShare >= VERY_HIGH;
    Evidence.Builder e =
        Evidence.builder()
            .put("cpuShare", Math.round(over * 1000) / 1000.0)
            .put("threshold", high)
            .put("windowSeconds", window.toSeconds())
            .put("cpus", Runtime.getRuntime().availableProcessors());
    if (longShare >= 0) {
      e.put("cpuShareOver5Minutes", Math.round(longShare * 1000) / 1000.0);
    }
    e.list("busiestThreads", busiest);
    boolean fromJfr = jfr.running() && sampling.wanted() && hot.samples() > 0;
    HotMethods from = fromJfr ? hot : stacks;
    e.put("samples", from.samples());
    e.put(
        "sampledBy",
        fromJfr
            ? "JFR execution samples every 100 ms"
            : "the busiest threads' stacks each round; JFR: "
                + (jfr.running() && sampling.wanted() ? "started, no sample yet" : jfr.status()));
    String where = null;
    if (from.samples() > 0) {
      List<Evidence> rows = new ArrayList<>();
      for (Map<String, Object> m : from.hottestApplication(5)) {
        Evidence.Builder r =
            Evidence.builder()
                .put("method", (String) m.get("method"))
                .put("shareOfSamples", (Number) m.get("shareOfSamples"))
                .put("selfShare", (Number) m.get("selfShare"));
        if (m.get("stack") instanceof List<?> stack) {
          r.list("stack", stack);
          if (where == null && !stack.isEmpty()) {
            where = String.valueOf(stack.get(0));
          }
        }
        rows.add(r.build());
      }
      e.list("hottestMethods", rows);
    } else {
      e.put("hottestMethods", "not sampled yet: no thread was busy in a round read so far");
    }
    return new Finding(
            FindingCode.CPU_SATURATION,
            veryLong ? Severity.HIGH : Severity.MEDIUM,
            String.format(
                "process CPU at %.0f%% of %d CPUs over %d s%s",
                over * 100,
                Runtime.getRuntime().availableProcessors(),
                window.toSeconds(),
                veryLong ? ", above 95% for five minutes" : ""),
            e.build(),
            List.of(ActionNames.CPU_PROFILE, ActionNames.THREAD_DUMP))
        .at(where);
  }

  /**
   * Every thread's CPU time since the previous round, as a share of one core: the busiest kept for
   * the evidence, and the stacks of those busier than {@link #BUSY} added to {@link #stacks}. The
   * first read has no previous round: it ranks threads by their CPU time since they started.
   */
  private void readThreads(long now) {
    boolean first = threadCpu.isEmpty();
    Map<Long, long[]> next = new HashMap<>();
    List<Object[]> rows = new ArrayList<>();
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu < 0) {
        continue;
      }
      next.put(id, new long[] {cpu, now});
      long[] before = threadCpu.get(id);
      if (first) {
        rows.add(new Object[] {id, (double) cpu});
      } else if (before != null && now > before[1]) {
        rows.add(new Object[] {id, (double) (cpu - before[0]) / (now - before[1])});
      }
    }
    threadCpu = next;
    rows.sort((a, b) -> Double.compare((double) b[1], (double) a[1]));
    rows = rows.subList(0, Math.min(BUSIEST, rows.size()));
    long[] ids = new long[rows.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (long) rows.get(i)[0];
    }
    ThreadInfo[] infos = threads.getThreadInfo(ids, STACK_DEPTH);
    List<Evidence> out = new ArrayList<>();
    for (int i = 0; i < infos.length; i++) {
      ThreadInfo ti = infos[i];
      if (ti == null) {
        continue; // ended since
      }
      double busy = (double) rows.get(i)[1];
      StackTraceElement[] trace = ti.getStackTrace();
      Evidence.Builder row = Evidence.builder().put("thread", ti.getThreadName());
      if (first) {
        row.put("cpuSecondsSinceStart", Math.round(busy / 1e6) / 1000.0);
        if (busy > 0 && ti.getThreadState() == Thread.State.RUNNABLE) {
          stacks.add(trace, ti.getThreadName());
        }
      } else {
        row.put("shareOfOneCore", Math.round(busy * 1000) / 1000.0);
        if (busy >= BUSY) {
          stacks.add(trace, ti.getThreadName());
        }
      }
      out.add(
          row.put("state", ti.getThreadState().name())
              .list("stack", StackFrames.format(trace, 8))
              .build());
    }
    busiest = out;
  }

  /** {@code signals.cpu}. */
  Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    double s = lastShare;
    m.put("processCpuShare", s < 0 ? null : Math.round(s * 1000) / 1000.0);
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("threshold", high);
    m.put("windowSeconds", window.toSeconds());
    m.put(
        "executionSampling",
        sampling.wanted() ? jfr.status() : "idle: sampled only while the CPU is high");
    return m;
  }
}

package dev.nova.core.cpu;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.Hold;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.jvm.JfrStream;
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
 * over {@code cpu.window}. MEDIUM; HIGH when it has been at or above 95% for five minutes. While
 * the last ten seconds are that busy (so, before the finding), JFR execution sampling runs (every
 * 20 ms, through Nova's stream) and the evidence names the hottest application methods with their
 * share of samples and a stack each; the busiest threads by CPU time since the previous round come
 * from the JVM's per-thread counters. Sampling stops a minute after the CPU has calmed.
 */
public final class CpuSaturationDetector implements Detector {
  static final Duration SUSPECT = Duration.ofSeconds(10);
  static final Duration LONG = Duration.ofMinutes(5);
  static final double VERY_HIGH = 0.95;
  static final Duration CALM = Duration.ofMinutes(1);
  static final int MAX_SAMPLES = 4096;

  private final double high;
  private final Duration window;
  private final HotMethods hot;
  private final JfrStream.Part sampling;
  private final JfrStream jfr;
  private final Hold hold;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os;
  private final Deque<long[]> samples = new ArrayDeque<>(); // {wall, cpu}
  private long lastSuspected = Long.MIN_VALUE;
  private Map<Long, long[]> threadCpu = new HashMap<>();
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
    this.hot = hot;
    this.sampling = sampling;
    this.jfr = jfr;
    this.hold = new Hold(hold);
    this.os =
        ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean o
            ? o
            : null;
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
    int cpus = Runtime.getRuntime().availableProcessors();
    return (double) (last[1] - first[1]) / ((last[0] - first[0]) * (double) cpus);
  }

  private synchronized void sample(long now) {
    long cpu = os == null ? -1 : os.getProcessCpuTime();
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
    double recent = share(SUSPECT, now);
    double over = share(window, now);
    lastShare = over;
    if (recent >= high || over >= high) {
      if (lastSuspected == Long.MIN_VALUE) {
        hot.clear();
      }
      lastSuspected = now;
    }
    boolean sample = lastSuspected != Long.MIN_VALUE && now - lastSuspected < CALM.toNanos();
    sampling.want(sample);
    if (!sample) {
      lastSuspected = Long.MIN_VALUE;
      threadCpu = new HashMap<>();
    }
    List<Finding> out = new ArrayList<>();
    Finding f = over >= high ? finding(over, share(LONG, now, 0.95), now) : null;
    hold.add(out, f, now);
    return out;
  }

  private Finding finding(double over, double longShare, long now) {
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
    e.list("busiestThreads", busiestThreads(now));
    if (jfr.running() && sampling.wanted()) {
      e.put("samples", hot.samples());
      List<Evidence> rows = new ArrayList<>();
      for (Map<String, Object> m : hot.hottestApplication(5)) {
        Evidence.Builder r =
            Evidence.builder()
                .put("method", (String) m.get("method"))
                .put("shareOfSamples", (Number) m.get("shareOfSamples"))
                .put("selfShare", (Number) m.get("selfShare"));
        if (m.get("stack") instanceof List<?> stack) {
          r.list("stack", stack);
        }
        rows.add(r.build());
      }
      e.list("hottestMethods", rows);
    } else {
      e.put("hottestMethods", "not sampled: JFR " + jfr.status());
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
        List.of(ActionNames.CPU_PROFILE, ActionNames.THREAD_DUMP));
  }

  /** Threads by CPU time used since the previous round, as a share of one core. */
  private List<Evidence> busiestThreads(long now) {
    Map<Long, long[]> next = new HashMap<>();
    List<Object[]> rows = new ArrayList<>();
    long[] ids = threads.getAllThreadIds();
    for (long id : ids) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu < 0) {
        continue;
      }
      next.put(id, new long[] {cpu, now});
      long[] before = threadCpu.get(id);
      if (before != null && now > before[1]) {
        rows.add(new Object[] {id, (double) (cpu - before[0]) / (now - before[1])});
      }
    }
    threadCpu = next;
    rows.sort((a, b) -> Double.compare((double) b[1], (double) a[1]));
    List<Evidence> out = new ArrayList<>();
    for (Object[] r : rows.subList(0, Math.min(5, rows.size()))) {
      ThreadInfo ti = threads.getThreadInfo((long) r[0], 0);
      if (ti != null) {
        out.add(
            Evidence.builder()
                .put("thread", ti.getThreadName())
                .put("shareOfOneCore", Math.round((double) r[1] * 1000) / 1000.0)
                .build());
      }
    }
    return out;
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

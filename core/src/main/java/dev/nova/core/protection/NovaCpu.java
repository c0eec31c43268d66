package dev.nova.core.protection;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
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
 * The CPU Nova's own threads use: those named {@code nova-*} and, while Nova's JFR stream is open,
 * JFR's ({@code JFR *}). Each round reads the CPU time of the threads found (a JVM call per thread,
 * about a dozen); the set is found again from the thread names every {@link #RESCAN}, and whenever
 * one of them ended. The share is CPU seconds per wall second, of one core. Read by the report's
 * {@code agent.cpu} and by self-protection against {@code agent.cpuBudget}.
 */
public final class NovaCpu {
  static final Duration RESCAN = Duration.ofSeconds(30);
  static final int MAX_SAMPLES = 512;
  static final int TOP = 5;

  private final NovaClock clock;
  private final NovaHealth health;
  private final double budget;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final boolean supported;
  private final Map<Long, long[]> own = new HashMap<>(); // id -> {lastCpuNanos, totalNanos}
  private final Map<Long, String> names = new HashMap<>();
  private final Map<String, Long> endedByName = new HashMap<>();
  private final Deque<long[]> samples = new ArrayDeque<>(); // {wallNanos, cpuNanosTotal}
  private long total;
  private long lastScan = Long.MIN_VALUE;

  private volatile java.util.function.BooleanSupplier jfrOpen = () -> false;

  public NovaCpu(NovaClock clock, NovaHealth health, double budget) {
    this.clock = clock;
    this.health = health;
    this.budget = budget;
    boolean ok;
    try {
      ok = threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
    } catch (RuntimeException e) {
      ok = false;
    }
    this.supported = ok;
  }

  /** JFR's threads are Nova's only while Nova's stream is open (the host may record too). */
  public void countJfrWhile(java.util.function.BooleanSupplier open) {
    jfrOpen = open;
  }

  static boolean isNovas(String name) {
    return isNovas(name, true);
  }

  static boolean isNovas(String name, boolean jfr) {
    return name.startsWith("nova-") || (jfr && name.startsWith("JFR "));
  }

  /** Reads the CPU time of Nova's threads once; every detector round. */
  public synchronized void sample() {
    if (!supported) {
      return;
    }
    try {
      long now = clock.nanoTime();
      if (lastScan == Long.MIN_VALUE || now - lastScan >= RESCAN.toNanos()) {
        scan();
        lastScan = now;
      }
      boolean ended = false;
      for (Map.Entry<Long, long[]> e : own.entrySet()) {
        long cpu = threads.getThreadCpuTime(e.getKey());
        long[] t = e.getValue();
        if (cpu < 0) {
          ended = true; // gone: its last interval is lost, a few milliseconds at most
          continue;
        }
        long delta = t[0] < 0 ? 0 : Math.max(0, cpu - t[0]);
        t[0] = cpu;
        t[1] += delta;
        total += delta;
      }
      if (ended) {
        scan();
      }
      samples.addLast(new long[] {now, total});
      while (samples.size() > MAX_SAMPLES) {
        samples.removeFirst();
      }
    } catch (RuntimeException e) {
      health.recordSuppressed("nova cpu", e);
    }
  }

  private void scan() {
    Map<Long, String> found = new HashMap<>();
    boolean jfr = jfrOpen.getAsBoolean();
    for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (ti != null && isNovas(ti.getThreadName(), jfr)) {
        found.put(ti.getThreadId(), ti.getThreadName());
      }
    }
    for (var it = own.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!found.containsKey(e.getKey())) {
        endedByName.merge(fold(names.remove(e.getKey())), e.getValue()[1], Long::sum);
        it.remove();
      }
    }
    for (Map.Entry<Long, String> e : found.entrySet()) {
      if (!own.containsKey(e.getKey())) {
        // first seen now: its CPU so far counts from here (a thread's past is in its total)
        long cpu = threads.getThreadCpuTime(e.getKey());
        own.put(e.getKey(), new long[] {cpu, 0});
        names.put(e.getKey(), e.getValue());
      }
    }
    if (endedByName.size() > 64) {
      endedByName.clear(); // bounded: names are Nova's own, a few
    }
  }

  private static String fold(String name) {
    return name == null ? "?" : name.replaceAll("\\d+", "{n}");
  }

  /** CPU seconds per wall second of Nova's threads over {@code window}, or -1 while unknown. */
  public synchronized double share(Duration window) {
    if (samples.size() < 2) {
      return -1;
    }
    long[] last = samples.getLast();
    long[] first = null;
    for (long[] s : samples) {
      if (last[0] - s[0] <= window.toNanos()) {
        first = s;
        break;
      }
    }
    if (first == null || first == last || last[0] <= first[0]) {
      return -1;
    }
    return (double) (last[1] - first[1]) / (last[0] - first[0]);
  }

  public double budget() {
    return budget;
  }

  /** The report's {@code agent.cpu}. */
  public synchronized Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!supported) {
      m.put("status", "unknown: this JVM does not measure thread CPU time");
      return m;
    }
    m.put("shareOfOneCore10s", round(share(Duration.ofSeconds(10))));
    m.put("shareOfOneCore1m", round(share(Duration.ofMinutes(1))));
    m.put("cpuSecondsSinceStart", Math.round(total / 1e6) / 1000.0);
    m.put("budget", budget);
    Map<String, Long> byName = new HashMap<>(endedByName);
    for (Map.Entry<Long, long[]> e : own.entrySet()) {
      byName.merge(fold(names.get(e.getKey())), e.getValue()[1], Long::sum);
    }
    List<Map.Entry<String, Long>> top = new ArrayList<>(byName.entrySet());
    top.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    List<Object> rows = new ArrayList<>();
    for (Map.Entry<String, Long> e : top.subList(0, Math.min(TOP, top.size()))) {
      rows.add(Map.of("thread", e.getKey(), "cpuSeconds", Math.round(e.getValue() / 1e6) / 1000.0));
    }
    m.put("byThread", rows);
    m.put(
        "measures",
        "CPU time of Nova's threads (nova-*, and JFR's while Nova's stream is open) per wall"
            + " second, as a share of one core");
    return m;
  }

  private static Double round(double v) {
    return v < 0 ? null : Math.round(v * 10000) / 10000.0;
  }
}

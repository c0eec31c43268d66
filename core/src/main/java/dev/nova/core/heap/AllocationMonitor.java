package dev.nova.core.heap;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.jdbc.AppFrames;
import dev.nova.core.jvm.JfrStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;

/**
 * How fast the host allocates and where: the rate from the JVM's own per-thread allocation counters
 * (exact, no JFR needed), the types and application frames that allocate most from JFR's throttled
 * {@code jdk.ObjectAllocationSample} events (each sample carries the bytes it stands for). Samples
 * are taken only while someone needs them: the heap detector {@link #demand}s them while heap
 * growth or GC pressure is suspected, and they stop {@link #IDLE} after the last demand (a busy
 * server pays for every sample's stack walk, and JFR's stream costs heap even when idle). Sampling
 * is optional work too: {@link #shed} turns it off under pressure and {@link #resume} back on.
 */
public final class AllocationMonitor {
  static final String EVENT = "jdk.ObjectAllocationSample";
  static final String THROTTLE = "100/s";
  static final int MAX_KEYS = 256;
  static final int TOP = 5;

  /** Samples stop this long after the last demand. */
  static final java.time.Duration IDLE = java.time.Duration.ofMinutes(2);

  static final String IDLE_STATUS =
      "idle: sampled only while heap growth or GC pressure is suspected";

  private final NovaClock clock;
  private final NovaHealth health;
  private final JfrStream jfr;
  private final long windowNanos;
  private final com.sun.management.ThreadMXBean threads;
  private Map<String, long[]> current = new HashMap<>();
  private Map<String, long[]> previous = new HashMap<>();
  private long bucketStart;
  private long lastBytes = -1;
  private long lastAt;
  private volatile double bytesPerSecond = -1;
  private volatile boolean shed;
  private final boolean sampling;
  private final JfrStream.Part part;
  private long lastDemand = Long.MIN_VALUE;

  public AllocationMonitor(NovaClock clock, NovaHealth health, JfrStream jfr, long windowNanos) {
    this(clock, health, jfr, windowNanos, true);
  }

  /** {@code sample=false}: the rate only, no JFR allocation samples. */
  public AllocationMonitor(
      NovaClock clock, NovaHealth health, JfrStream jfr, long windowNanos, boolean sample) {
    this.clock = clock;
    this.health = health;
    this.jfr = jfr;
    this.windowNanos = windowNanos;
    this.bucketStart = clock.nanoTime();
    java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
    this.threads =
        t instanceof com.sun.management.ThreadMXBean s && s.isThreadAllocatedMemorySupported()
            ? s
            : null;
    health.track("allocation-sites", this::keys, 160);
    this.sampling = sample && Runtime.version().feature() >= 16;
    this.part =
        sampling
            ? jfr.add(
                EVENT + " (" + THROTTLE + ")",
                Map.of(EVENT, s -> s.with("throttle", THROTTLE).withStackTrace()),
                rs -> rs.onEvent(EVENT, this::sampled),
                false)
            : null;
  }

  /**
   * Called every round: {@code needed} while heap growth or GC pressure is suspected. Sampling runs
   * from the first demand until {@link #IDLE} after the last, unless shed.
   */
  public void demand(boolean needed) {
    if (part == null) {
      return;
    }
    long now = clock.nanoTime();
    boolean want;
    synchronized (this) {
      if (needed) {
        lastDemand = now;
      }
      want = !shed && lastDemand != Long.MIN_VALUE && now - lastDemand < IDLE.toNanos();
    }
    part.want(want);
  }

  private synchronized int keys() {
    return current.size() + previous.size();
  }

  private void sampled(RecordedEvent e) {
    if (shed) {
      return;
    }
    try {
      RecordedClass type = e.getClass("objectClass");
      long weight = e.getLong("weight");
      List<String> app = AppFrames.of(JfrStream.trace(e.getStackTrace()), 1);
      String key =
          (type == null ? "?" : LeakCandidates.readable(type.getName()))
              + " at "
              + (app.isEmpty() ? "(jdk)" : app.get(0));
      synchronized (this) {
        rotate(clock.nanoTime());
        long[] c = current.get(key);
        if (c == null && current.size() < MAX_KEYS) {
          c = new long[2];
          current.put(key, c);
        }
        if (c != null) {
          c[0] += weight;
          c[1]++;
        }
      }
    } catch (Throwable t) {
      health.recordSuppressed("jfr allocation sample", t);
    }
  }

  private void rotate(long now) {
    if (now - bucketStart >= windowNanos) {
      previous = now - bucketStart >= 2 * windowNanos ? new HashMap<>() : current;
      current = new HashMap<>();
      bucketStart = now;
    }
  }

  /** Reads the allocation counters once; the detector calls it every round. */
  public void sample() {
    if (threads == null) {
      return;
    }
    try {
      long bytes = threads.getTotalThreadAllocatedBytes();
      long now = clock.nanoTime();
      if (bytes >= 0 && lastBytes >= 0 && now > lastAt) {
        bytesPerSecond = (bytes - lastBytes) * 1e9 / (now - lastAt);
      }
      lastBytes = bytes;
      lastAt = now;
    } catch (RuntimeException e) {
      health.recordSuppressed("allocation counters", e);
    }
  }

  /** Bytes allocated per second between the last two rounds, or -1 when unknown. */
  public double bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Stops sampling (self-protection); the rate from counters goes on. */
  public void shed() {
    shed = true;
    if (part != null) {
      part.want(false);
    }
    synchronized (this) {
      current = new HashMap<>();
      previous = new HashMap<>();
    }
  }

  /** Sampling may run again, at the next demand. */
  public void resume() {
    shed = false;
  }

  /** {@code signals.heap} members: the rate and the top allocators over the last window. */
  public Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    double rate = bytesPerSecond;
    m.put("allocationMbPerSecond", rate < 0 ? null : Math.round(rate / 104857.6) / 10.0);
    if (shed) {
      m.put("allocationSampling", "shed (self-protection)");
      return m;
    }
    if (!sampling) {
      m.put("allocationSampling", "off (jfr.allocations=false, or a JDK before 16)");
      return m;
    }
    if (!jfr.usable()) {
      m.put("allocationSampling", "unavailable: JFR " + jfr.status());
      return m;
    }
    if (!part.wanted()) {
      m.put("allocationSampling", IDLE_STATUS);
      return m;
    }
    m.put(
        "allocationSampling",
        jfr.running() ? "on: " + EVENT + " (" + THROTTLE + ")" : jfr.status());
    Map<String, long[]> merged = new HashMap<>();
    synchronized (this) {
      rotate(clock.nanoTime());
      for (Map<String, long[]> part : List.of(previous, current)) {
        part.forEach(
            (k, v) -> {
              long[] t = merged.computeIfAbsent(k, x -> new long[2]);
              t[0] += v[0];
              t[1] += v[1];
            });
      }
    }
    long total = 0;
    for (long[] v : merged.values()) {
      total += v[0];
    }
    List<Map.Entry<String, long[]>> top = new ArrayList<>(merged.entrySet());
    top.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    List<Object> rows = new ArrayList<>();
    for (Map.Entry<String, long[]> e : top.subList(0, Math.min(TOP, top.size()))) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("allocation", e.getKey());
      row.put("share", total == 0 ? 0.0 : Math.round(e.getValue()[0] * 1000.0 / total) / 1000.0);
      row.put("samples", e.getValue()[1]);
      rows.add(row);
    }
    m.put("topAllocations", rows);
    return m;
  }
}

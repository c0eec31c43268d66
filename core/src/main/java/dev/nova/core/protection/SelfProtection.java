package dev.nova.core.protection;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Finding;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.meter.Meters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Nova's own restraint: when the host's live heap after GC passes {@link #SHED_AT} of its maximum,
 * or the CPU the host can use has been at least {@link #SHED_AT} busy for {@link #CPU_SUSTAIN}, or
 * Nova's own threads have used more than their budget ({@code agent.cpuBudget} of one core, see
 * {@link NovaCpu}) over ten seconds for {@link #CPU_SUSTAIN}, Nova stops its optional work
 * (allocation sampling, old-object sampling) so that it takes nothing the host needs. It starts
 * again once the heap is below {@link #RESUME_AT} and the CPU has been below {@link #RESUME_AT} for
 * {@link #CPU_CALM} (and its own below half its budget as long). The gaps keep it from flapping.
 * Runs as a detector that never raises a finding; the state is in the report's {@code nova} section
 * and in the {@code nova_agent_shedding} gauge.
 */
public final class SelfProtection implements Detector {
  public static final double SHED_AT = 0.95;
  public static final double RESUME_AT = 0.75;

  /** CPU must stay busy this long before Nova sheds: one busy moment is not pressure. */
  public static final Duration CPU_SUSTAIN = Duration.ofSeconds(30);

  /** CPU must stay calm this long before Nova resumes. */
  public static final Duration CPU_CALM = Duration.ofSeconds(30);

  private record Part(String what, Runnable shed, Runnable resume) {}

  private final DoubleSupplier liveShare;
  private final DoubleSupplier cpuLoad;
  private final NovaHealth health;
  private final List<Part> parts = new ArrayList<>();
  private volatile boolean shedding;
  private volatile Instant since;
  private volatile double shareAtChange;
  private volatile double cpuAtChange = -1;
  private volatile long sheds;
  private volatile double lastCpu = -1;
  private boolean heapPressed;
  private boolean cpuPressed;
  private boolean ownPressed;
  private long ownBusySince = Long.MIN_VALUE;
  private long ownCalmSince = Long.MIN_VALUE;
  private volatile NovaCpu own;
  private volatile double lastOwn = -1;
  private long cpuBusySince = Long.MIN_VALUE;
  private long cpuCalmSince = Long.MIN_VALUE;

  /** {@code liveShare}: live heap after the last GC over the maximum, or a negative if unknown. */
  public SelfProtection(DoubleSupplier liveShare, NovaHealth health) {
    this(liveShare, () -> -1, health);
  }

  /**
   * {@code cpuLoad}: how busy the CPU the host can use is, 0..1 (container-aware), or a negative if
   * unknown.
   */
  public SelfProtection(DoubleSupplier liveShare, DoubleSupplier cpuLoad, NovaHealth health) {
    this.liveShare = liveShare;
    this.cpuLoad = cpuLoad;
    this.health = health;
  }

  /**
   * The JVM's own reading of recent CPU use of the machine or container it runs in ({@code
   * com.sun.management.OperatingSystemMXBean.getCpuLoad}), or a negative where there is none.
   */
  public static DoubleSupplier jvmCpuLoad() {
    return dev.nova.core.util.Cpu::machineLoad;
  }

  /** Watches Nova's own CPU against its budget too. */
  public void watchOwnCpu(NovaCpu cpu) {
    own = cpu;
  }

  /** Optional work that can stop under pressure. */
  public synchronized void add(String what, Runnable shed, Runnable resume) {
    parts.add(new Part(what, shed, resume));
  }

  @Override
  public String name() {
    return "self-protection";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    NovaCpu cpu = own;
    double ownShare = -1;
    if (cpu != null) {
      cpu.sample();
      ownShare = cpu.share(Duration.ofSeconds(10));
    }
    update(liveShare.getAsDouble(), cpuLoad.getAsDouble(), ownShare, clock);
    return List.of();
  }

  /** Sheds or resumes as the heap share says (CPU unknown). */
  public void update(double share, NovaClock clock) {
    update(share, -1, clock);
  }

  /** Sheds or resumes as the heap share and the CPU load say; a negative is unknown. */
  public void update(double share, double cpu, NovaClock clock) {
    update(share, cpu, -1, clock);
  }

  /**
   * Sheds or resumes as the heap share, the CPU load and Nova's own CPU share (of one core, against
   * its budget) say; a negative is unknown.
   */
  public synchronized void update(double share, double cpu, double ownShare, NovaClock clock) {
    if (share >= 0) {
      if (share >= SHED_AT) {
        heapPressed = true;
      } else if (share < RESUME_AT) {
        heapPressed = false;
      }
    }
    long now = clock.nanoTime();
    if (cpu >= 0) {
      lastCpu = cpu;
      if (cpu >= SHED_AT) {
        cpuCalmSince = Long.MIN_VALUE;
        cpuBusySince = cpuBusySince == Long.MIN_VALUE ? now : cpuBusySince;
        cpuPressed |= now - cpuBusySince >= CPU_SUSTAIN.toNanos();
      } else {
        cpuBusySince = Long.MIN_VALUE;
        if (cpu < RESUME_AT) {
          cpuCalmSince = cpuCalmSince == Long.MIN_VALUE ? now : cpuCalmSince;
          cpuPressed &= now - cpuCalmSince < CPU_CALM.toNanos();
        } else {
          cpuCalmSince = Long.MIN_VALUE;
        }
      }
    }
    NovaCpu budgeted = own;
    if (ownShare >= 0 && budgeted != null) {
      lastOwn = ownShare;
      double budget = budgeted.budget();
      if (ownShare > budget) {
        ownCalmSince = Long.MIN_VALUE;
        ownBusySince = ownBusySince == Long.MIN_VALUE ? now : ownBusySince;
        ownPressed |= now - ownBusySince >= CPU_SUSTAIN.toNanos();
      } else {
        ownBusySince = Long.MIN_VALUE;
        if (ownShare < budget / 2) {
          ownCalmSince = ownCalmSince == Long.MIN_VALUE ? now : ownCalmSince;
          ownPressed &= now - ownCalmSince < CPU_CALM.toNanos();
        } else {
          ownCalmSince = Long.MIN_VALUE;
        }
      }
    }
    boolean want = heapPressed || cpuPressed || ownPressed;
    if (want == shedding) {
      return;
    }
    shedding = want;
    since = clock.now();
    shareAtChange = share;
    cpuAtChange = cpu;
    if (want) {
      sheds++;
    }
    for (Part p : parts) {
      run(want ? p.shed() : p.resume(), p.what());
    }
  }

  private void run(Runnable r, String what) {
    try {
      r.run();
    } catch (Throwable t) {
      health.recordSuppressed("self-protection " + what, t);
    }
  }

  public boolean shedding() {
    return shedding;
  }

  /** For the report's {@code nova} section. */
  public synchronized Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shedding", shedding);
    if (shedding) {
      List<String> because = new ArrayList<>(2);
      if (heapPressed) {
        because.add("heap");
      }
      if (cpuPressed) {
        because.add("cpu");
      }
      if (ownPressed) {
        because.add("nova cpu over budget");
      }
      m.put("because", because);
    }
    List<String> what = new ArrayList<>();
    for (Part p : parts) {
      what.add(p.what());
    }
    m.put(shedding ? "shed" : "sheddable", what);
    m.put(
        "rule",
        String.format(
            "shed when live heap after GC >= %.0f%% of max or CPU >= %.0f%% busy for %d s;"
                + " resume when the heap is below %.0f%% and the CPU has been below %.0f%% for"
                + " %d s",
            SHED_AT * 100,
            SHED_AT * 100,
            CPU_SUSTAIN.toSeconds(),
            RESUME_AT * 100,
            RESUME_AT * 100,
            CPU_CALM.toSeconds()));
    if (lastCpu >= 0) {
      m.put("cpuLoad", Math.round(lastCpu * 1000) / 1000.0);
    }
    NovaCpu budgeted = own;
    if (budgeted != null) {
      m.put(
          "ownCpuRule",
          String.format(
              "shed when Nova's threads use more than %.1f%% of one core over 10 s for %d s;"
                  + " resume below %.1f%% for %d s",
              budgeted.budget() * 100,
              CPU_SUSTAIN.toSeconds(),
              budgeted.budget() * 50,
              CPU_CALM.toSeconds()));
      if (lastOwn >= 0) {
        m.put("ownCpuShare", Math.round(lastOwn * 10000) / 10000.0);
      }
    }
    if (since != null) {
      m.put(shedding ? "since" : "resumedAt", since.toString());
      if (shareAtChange >= 0) {
        m.put("liveShareAtChange", Math.round(shareAtChange * 1000) / 1000.0);
      }
      if (cpuAtChange >= 0) {
        m.put("cpuLoadAtChange", Math.round(cpuAtChange * 1000) / 1000.0);
      }
    }
    m.put("timesShed", sheds);
    return m;
  }

  public void bindTo(MeterRegistry registry) {
    Gauge.builder(Meters.AGENT_SHEDDING.name(), this, s -> s.shedding ? 1 : 0)
        .description(Meters.AGENT_SHEDDING.description())
        .register(registry);
  }
}

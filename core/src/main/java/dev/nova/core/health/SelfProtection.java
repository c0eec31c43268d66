package dev.nova.core.health;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Finding;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Nova's own restraint: when the host's live heap after GC passes {@link #SHED_AT} of its maximum,
 * Nova stops its optional work (allocation sampling, old-object sampling) so that it takes nothing
 * the host needs; below {@link #RESUME_AT} it starts again. The gap between the two keeps it from
 * flapping. Runs as a detector that never raises a finding; the state is in the report's {@code
 * nova} section and in the {@code nova_agent_shedding} gauge.
 */
public final class SelfProtection implements Detector {
  public static final double SHED_AT = 0.95;
  public static final double RESUME_AT = 0.75;

  private record Part(String what, Runnable shed, Runnable resume) {}

  private final DoubleSupplier liveShare;
  private final NovaHealth health;
  private final List<Part> parts = new ArrayList<>();
  private volatile boolean shedding;
  private volatile Instant since;
  private volatile double shareAtChange;
  private volatile long sheds;

  /** {@code liveShare}: live heap after the last GC over the maximum, or a negative if unknown. */
  public SelfProtection(DoubleSupplier liveShare, NovaHealth health) {
    this.liveShare = liveShare;
    this.health = health;
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
    update(liveShare.getAsDouble(), clock);
    return List.of();
  }

  /** Sheds or resumes as the share says. */
  public synchronized void update(double share, NovaClock clock) {
    if (share < 0) {
      return;
    }
    if (!shedding && share >= SHED_AT) {
      shedding = true;
      sheds++;
      since = clock.now();
      shareAtChange = share;
      for (Part p : parts) {
        run(p.shed(), p.what());
      }
    } else if (shedding && share < RESUME_AT) {
      shedding = false;
      since = clock.now();
      shareAtChange = share;
      for (Part p : parts) {
        run(p.resume(), p.what());
      }
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
    List<String> what = new ArrayList<>();
    for (Part p : parts) {
      what.add(p.what());
    }
    m.put(shedding ? "shed" : "sheddable", what);
    m.put(
        "rule",
        String.format(
            "shed when live heap after GC >= %.0f%% of max, resume below %.0f%%",
            SHED_AT * 100, RESUME_AT * 100));
    if (since != null) {
      m.put(shedding ? "since" : "resumedAt", since.toString());
      m.put("liveShareAtChange", Math.round(shareAtChange * 1000) / 1000.0);
    }
    m.put("timesShed", sheds);
    return m;
  }

  public void bindTo(MeterRegistry registry) {
    Gauge.builder("nova.agent.shedding", this, s -> s.shedding ? 1 : 0)
        .description("1 while Nova sheds its optional work because the host's heap is nearly full")
        .register(registry);
  }
}

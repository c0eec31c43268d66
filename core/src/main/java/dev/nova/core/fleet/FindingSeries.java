package dev.nova.core.fleet;

import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCodes;
import dev.nova.core.finding.Severity;
import dev.nova.core.meter.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The findings as series, for Prometheus rules and Alertmanager: {@code
 * nova_finding_severity{code}} for every code Nova knows from the first scrape (0 while not raised,
 * 1 LOW .. 4 CRITICAL), {@code nova_findings_raised_total{code,severity}} (each raise and each
 * change of severity, counted at the new one), and {@code nova_info{version,mode,nova}} = 1 (the
 * service's running version, Nova's mode and Nova's own version). Codes raised by a service's own
 * detectors join when first raised, at most {@link #MAX_CODES} in all.
 */
final class FindingSeries {
  static final int MAX_CODES = 64;

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> severity = new ConcurrentHashMap<>();
  private final Map<String, Counter> raised = new ConcurrentHashMap<>();

  FindingSeries(MeterRegistry registry, String serviceVersion, String novaVersion, String mode) {
    this.registry = registry;
    for (FindingCodes.Code c : FindingCodes.all()) {
      code(c.code());
    }
    Gauge.builder(Meters.INFO.name(), () -> 1)
        .description(Meters.INFO.description())
        .tag("version", serviceVersion)
        .tag("nova", novaVersion)
        .tag("mode", mode)
        .register(registry);
  }

  private AtomicInteger code(String code) {
    AtomicInteger v = severity.get(code);
    if (v != null || severity.size() >= MAX_CODES) {
      return v;
    }
    AtomicInteger made = new AtomicInteger();
    AtomicInteger had = severity.putIfAbsent(code, made);
    if (had != null) {
      return had;
    }
    Gauge.builder(Meters.FINDING_SEVERITY.name(), made, AtomicInteger::get)
        .description(Meters.FINDING_SEVERITY.description())
        .tag("code", code)
        .register(registry);
    for (Severity s : Severity.values()) {
      raised.put(
          code + "/" + s,
          Counter.builder(Meters.FINDINGS_RAISED.name())
              .description(Meters.FINDINGS_RAISED.description())
              .tag("code", code)
              .tag("severity", s.name())
              .register(registry));
    }
    return made;
  }

  /** After a round: every code's severity now, and the raises and changes counted. */
  void update(List<Finding> findings, List<FindingEvents.Change> changes) {
    Map<String, Finding> now = FindingEvents.byCode(findings);
    for (Map.Entry<String, AtomicInteger> e : severity.entrySet()) {
      Finding f = now.get(e.getKey());
      e.getValue().set(FindingCodes.value(f == null ? null : f.severity()));
    }
    for (FindingEvents.Change c : changes) {
      AtomicInteger v = code(c.code());
      if (v != null && c.to() != null) {
        v.set(FindingCodes.value(c.to()));
        Counter counter = raised.get(c.code() + "/" + c.to());
        if (counter != null) {
          counter.increment();
        }
      }
    }
  }
}

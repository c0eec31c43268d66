package dev.nova.core.report;

import dev.nova.core.diagnosis.DetectorScheduler;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.remediation.AuditLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The report's {@code agent}: Nova's own health (errors it swallowed, detector runs, what it
 * tracks), the members others add (the agent's {@code instrumentation}), and the audit.
 */
public final class AgentSection {
  private final NovaHealth health;
  private final DetectorScheduler scheduler;
  private final AuditLog audit;
  private final List<String> areas;
  private final Map<String, Supplier<Map<String, Object>>> members = new LinkedHashMap<>();

  public AgentSection(
      NovaHealth health, DetectorScheduler scheduler, AuditLog audit, List<String> areas) {
    this.health = health;
    this.scheduler = scheduler;
    this.audit = audit;
    this.areas = List.copyOf(areas);
  }

  /** Adds or replaces a member; one that throws shows its error instead. */
  public void add(String name, Supplier<Map<String, Object>> member) {
    synchronized (members) {
      members.put(name, member);
    }
  }

  public Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("errors", health.errors());
    m.put("suppressedErrors", health.suppressedErrors());
    m.put("transformErrors", health.transformErrors());
    m.put("detectorFailures", health.detectorFailures());
    m.put("recentErrors", health.recentErrors());
    m.put("areas", areas);
    List<Map<String, Object>> detectors = new ArrayList<>();
    for (DetectorScheduler.DetectorState s : scheduler.states()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("name", s.name());
      d.put("runs", s.runs());
      d.put("failures", s.failures());
      if (s.lastError() != null) {
        d.put("lastError", s.lastError());
      }
      detectors.add(d);
    }
    m.put("detectors", detectors);
    m.put("trackedObjects", health.trackedObjects());
    m.put("heapEstimateBytes", health.heapEstimateBytes());
    synchronized (members) {
      members.forEach(
          (k, v) -> {
            try {
              m.put(k, v.get());
            } catch (Throwable t) {
              health.recordSuppressed("agent section " + k, t);
              m.put(k, Map.of("error", String.valueOf(t)));
            }
          });
    }
    m.put("audit", AuditSection.render(audit));
    return m;
  }
}

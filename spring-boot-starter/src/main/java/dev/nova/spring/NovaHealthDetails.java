package dev.nova.spring;

import dev.nova.core.Nova;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the health component says, from the findings Nova holds after its last detector round (no
 * report built per probe): the highest severity, and each finding's code, severity and title.
 */
record NovaHealthDetails(boolean up, String severity, Map<String, Object> details) {
  /** The group's name: {@code /actuator/health/nova-diagnosis}. */
  static final String GROUP = "nova-diagnosis";

  /** The component the group holds: the indicator bean {@code novaHealthIndicator}. */
  static final String MEMBER = "nova";

  /** Nova's severities first, then Spring's own statuses in Spring's order. */
  static final String[] ORDER = order();

  /** What a probe pointed at the group sees: CRITICAL is unavailable, as DOWN is. */
  static final Map<String, Integer> HTTP =
      Map.of(Severity.CRITICAL.name(), 503, "DOWN", 503, "OUT_OF_SERVICE", 503);

  static NovaHealthDetails of(Nova nova) {
    List<Finding> held = nova.scheduler().findings();
    List<Map<String, Object>> findings = new ArrayList<>();
    String top = "OK";
    for (Finding f : held) {
      if (top.equals("OK") || f.severity().isAbove(Severity.valueOf(top))) {
        top = f.severity().name();
      }
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("code", f.code());
      one.put("severity", f.severity().name());
      one.put("title", f.title());
      findings.add(one);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("severity", top);
    details.put("findings", findings);
    return new NovaHealthDetails(held.isEmpty(), top, details);
  }

  private static String[] order() {
    List<String> order = new ArrayList<>();
    for (Severity s : Severity.values()) {
      order.add(s.name());
    }
    order.addAll(List.of("DOWN", "OUT_OF_SERVICE", "UP", "UNKNOWN"));
    return order.toArray(new String[0]);
  }
}

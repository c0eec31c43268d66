package dev.nova.spring;

import dev.nova.core.Nova;
import dev.nova.core.finding.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the health component says, from the findings Nova holds after its last detector round (no
 * report built per probe): the highest severity, and each finding's code, severity and title.
 */
record NovaHealthDetails(boolean up, String severity, Map<String, Object> details) {
  static NovaHealthDetails of(Nova nova) {
    List<Finding> held = nova.scheduler().findings();
    List<Map<String, Object>> findings = new ArrayList<>();
    String top = "OK";
    for (Finding f : held) {
      if (top.equals("OK") || f.severity().isAbove(dev.nova.core.finding.Severity.valueOf(top))) {
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
}

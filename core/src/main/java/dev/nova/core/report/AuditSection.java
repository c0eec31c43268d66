package dev.nova.core.report;

import dev.nova.core.remediation.AuditLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's {@code agent.audit}: the recent actions, with a fingerprint of each token. */
public final class AuditSection {
  private AuditSection() {}

  public static List<Map<String, Object>> render(AuditLog audit) {
    List<Map<String, Object>> recent = new ArrayList<>();
    for (AuditLog.Entry e : audit.recent()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("time", e.time().toString());
      a.put("caller", e.caller());
      a.put("token", e.token());
      a.put("action", e.action());
      a.put("params", e.params());
      a.put("status", e.status());
      a.put("outcome", e.outcome());
      recent.add(a);
    }
    return recent;
  }
}

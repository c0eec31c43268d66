package dev.nova.core.fleet;

import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two detector rounds, code by code: a code raised, its severity changed, or
 * it cleared. Several findings of one code (one per pool, say) count as one, at the most severe.
 * Used on the detector thread only.
 */
final class FindingEvents {
  /** One change: {@code from} is null when raised, {@code to} null when cleared. */
  record Change(String code, Severity from, Severity to, Finding finding) {
    String kind() {
      return from == null ? "raised" : to == null ? "cleared" : "changed";
    }
  }

  private Map<String, Finding> previous = new LinkedHashMap<>();

  /** The worst finding of each code, in the order first seen. */
  static Map<String, Finding> byCode(List<Finding> findings) {
    Map<String, Finding> m = new LinkedHashMap<>();
    for (Finding f : findings) {
      Finding had = m.get(f.code());
      if (had == null || f.severity().isAbove(had.severity())) {
        m.put(f.code(), f);
      }
    }
    return m;
  }

  List<Change> round(List<Finding> findings) {
    Map<String, Finding> now = byCode(findings);
    List<Change> out = new ArrayList<>();
    for (Map.Entry<String, Finding> e : now.entrySet()) {
      Finding before = previous.get(e.getKey());
      Severity to = e.getValue().severity();
      if (before == null) {
        out.add(new Change(e.getKey(), null, to, e.getValue()));
      } else if (before.severity() != to) {
        out.add(new Change(e.getKey(), before.severity(), to, e.getValue()));
      }
    }
    for (Map.Entry<String, Finding> e : previous.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        out.add(new Change(e.getKey(), e.getValue().severity(), null, e.getValue()));
      }
    }
    previous = now;
    return out;
  }
}

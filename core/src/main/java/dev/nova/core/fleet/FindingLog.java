package dev.nova.core.fleet;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.FindingCodes;
import dev.nova.core.finding.Severity;
import dev.nova.core.util.Json;
import dev.nova.core.util.NovaLog;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One log line for each raise, change of severity and clear (logger {@code dev.nova.findings}): the
 * code, the severity, the title, the remedy actions and the incident bundle written for it; JSON
 * with {@code log.format=json}. HIGH and CRITICAL raises are warnings, the rest information.
 */
final class FindingLog {
  private final java.util.function.Function<String, String> incidentOf;

  /** {@code incidentOf}: the incident bundle written for a raised code, or null. */
  FindingLog(java.util.function.Function<String, String> incidentOf) {
    this.incidentOf = incidentOf;
  }

  void write(List<FindingEvents.Change> changes, Instant now) {
    for (FindingEvents.Change c : changes) {
      Severity shown = c.to() != null ? c.to() : c.from();
      boolean warn = c.to() != null && !Severity.HIGH.isAbove(c.to());
      String scenario = FindingCodes.of(c.code()).map(FindingCodes.Code::scenario).orElse(null);
      List<String> actions = c.finding().actions();
      String incident = c.to() == null ? null : incidentOf.apply(c.code());
      String line;
      if (NovaLog.json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", now.toString());
        m.put("logger", NovaLog.FINDINGS);
        m.put("event", c.kind());
        m.put("code", c.code());
        m.put("severity", shown.name());
        if (c.from() != null && c.to() != null) {
          m.put("previousSeverity", c.from().name());
        }
        m.put("title", c.finding().title());
        if (c.finding().where() != null) {
          m.put("where", c.finding().where());
        }
        if (scenario != null) {
          m.put("scenario", scenario);
        }
        m.put("actions", actions);
        if (incident != null) {
          m.put(ActionNames.INCIDENT, incident); // the key is named like the action
        }
        line = Json.line(m);
      } else {
        StringBuilder b = new StringBuilder("finding ").append(c.kind()).append(' ');
        b.append(c.code()).append(' ').append(shown.name());
        if (c.from() != null && c.to() != null) {
          b.append(" (was ").append(c.from().name()).append(')');
        }
        b.append(": ").append(c.finding().title());
        if (c.finding().where() != null) {
          b.append(" at ").append(c.finding().where());
        }
        if (c.to() != null && !actions.isEmpty()) {
          b.append("; remedy: POST /debug/nova/actions/").append(String.join(" or ", actions));
        }
        if (incident != null) {
          b.append("; incident ").append(incident);
        }
        line = b.toString();
      }
      NovaLog.line(NovaLog.FINDINGS, warn, line);
    }
  }
}

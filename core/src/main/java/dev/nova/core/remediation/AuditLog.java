package dev.nova.core.remediation;

import dev.nova.core.util.NovaLog;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One line per POST: when, who (address and token fingerprint, never the token), which action, its
 * parameters, and the outcome. Written to stderr and kept (the last {@value #KEPT}) for the report.
 */
public final class AuditLog {
  static final int KEPT = 64;

  /** One audited request. */
  public record Entry(
      Instant time,
      String caller,
      String token,
      String action,
      Map<String, String> params,
      int status,
      String outcome) {
    public String line() {
      return "audit time="
          + time
          + " caller="
          + caller
          + " token="
          + token
          + " action="
          + action
          + " params="
          + params
          + " status="
          + status
          + " outcome=\""
          + outcome.replace('"', '\'')
          + '"';
    }
  }

  private final Deque<Entry> kept = new ArrayDeque<>();

  public void record(Entry e) {
    synchronized (kept) {
      if (kept.size() == KEPT) {
        kept.removeFirst();
      }
      kept.addLast(e);
    }
    NovaLog.line(NovaLog.AUDIT, false, NovaLog.json() ? json(e) : e.line());
  }

  private static String json(Entry e) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("time", e.time().toString());
    m.put("logger", NovaLog.AUDIT);
    m.put("caller", e.caller());
    m.put("token", e.token());
    m.put("action", e.action());
    m.put("params", new java.util.TreeMap<>(e.params()));
    m.put("status", e.status());
    m.put("outcome", e.outcome());
    return dev.nova.core.util.Json.line(m);
  }

  /** The most recent entries, oldest first. */
  public List<Entry> recent() {
    synchronized (kept) {
      return new ArrayList<>(kept);
    }
  }
}

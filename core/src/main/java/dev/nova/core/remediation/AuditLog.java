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
    NovaLog.info(e.line());
  }

  /** The most recent entries, oldest first. */
  public List<Entry> recent() {
    synchronized (kept) {
      return new ArrayList<>(kept);
    }
  }
}

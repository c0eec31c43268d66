package dev.nova.core.endpoint;

import dev.nova.core.finding.Report;
import dev.nova.core.remediation.ActionDispatcher;
import java.util.List;
import java.util.Map;

/** What the admin listener serves; {@link dev.nova.core.Nova} provides it. */
public interface AdminApi {
  Report report();

  /** Every Nova meter in the Prometheus text format. */
  String scrape();

  /** The scrape, with who asked (the metrics watch counts Prometheus's visits). */
  default String scrape(String caller) {
    return scrape();
  }

  List<Map<String, Object>> actions();

  /** A named view under {@code GET /debug/nova/<name>}, or null when there is none. */
  Map<String, Object> view(String name);

  /** The incident bundle of that name, or null when there is none (the name is checked). */
  default java.nio.file.Path incident(String name) {
    return null;
  }

  /**
   * Null when the caller may read what needs the token ({@code what}, for the audit line), else the
   * refusal (401, 403 or 429).
   */
  default ActionDispatcher.Outcome gate(String caller, String authorization, String what) {
    return new ActionDispatcher.Outcome(
        403, Map.of("status", 403, "error", "nothing here reads with a token"), Map.of());
  }

  ActionDispatcher.Outcome dispatch(
      String caller, String authorization, String action, Map<String, String> query);
}

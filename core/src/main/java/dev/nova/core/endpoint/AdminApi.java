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

  ActionDispatcher.Outcome dispatch(
      String caller, String authorization, String action, Map<String, String> query);
}

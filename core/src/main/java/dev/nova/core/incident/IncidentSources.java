package dev.nova.core.incident;

import dev.nova.core.finding.Report;
import java.util.Map;

/**
 * What a bundle is made of, as the admin listener serves it: the report in its two forms, the
 * metrics scrape and the read-only views ({@code jdbc}, {@code history}). {@code Nova} provides it,
 * so a bundle holds exactly what the endpoints show, with the same redaction.
 */
public interface IncidentSources {
  Report report();

  /** The report as {@code GET /debug/nova} answers it. */
  byte[] json(Report report);

  /** The report as {@code GET /debug/nova?format=text} answers it. */
  String text(Report report);

  /** {@code GET /debug/nova/metrics}. */
  String metrics();

  /** {@code GET /debug/nova/<name>}, or null when there is none. */
  Map<String, Object> view(String name);

  /** The running version of the service. */
  String serviceVersion();
}

package dev.nova.core.finding;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole diagnosis at one instant: findings most severe first, the signals they came from, and
 * sections about Nova itself ({@code config}, {@code agent}).
 *
 * @param generatedAt when the report was put together
 * @param findings most severe first
 * @param signals one member per active area ({@code heap}, {@code threads}, {@code jvm}, ...)
 * @param sections further top-level members ({@code nova}, {@code config}, {@code agent})
 */
public record Report(
    Instant generatedAt,
    List<Finding> findings,
    Map<String, Object> signals,
    Map<String, Object> sections) {

  public Report {
    findings = findings.stream().sorted(Comparator.comparing(f -> f.severity().ordinal())).toList();
    signals = Collections.unmodifiableMap(new LinkedHashMap<>(signals));
    sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
  }

  /** The most severe finding's severity, or {@code "OK"} when there is none. */
  public String severity() {
    return findings.isEmpty() ? "OK" : findings.get(0).severity().name();
  }
}

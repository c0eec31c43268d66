package dev.nova.core.report;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The report's {@code nova}: which Nova this is, where it listens (or why not), whether actions are
 * on, and its self-protection state.
 */
public record NovaSection(
    String version,
    String mode,
    Instant startedAt,
    String listening,
    String listenerProblem,
    boolean actionsEnabled,
    Map<String, Object> selfProtection) {

  public Map<String, Object> render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("mode", mode);
    m.put("startedAt", startedAt.toString());
    m.put("listening", listening);
    if (listenerProblem != null) {
      m.put("listenerProblem", listenerProblem);
    }
    m.put("actionsEnabled", actionsEnabled);
    m.put("selfProtection", selfProtection);
    return m;
  }
}

package dev.nova.core.finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every finding code Nova raises ({@link FindingCode}, where each is defined), as records for the
 * findings' meters, the generated Prometheus rules and Grafana dashboard, the Alertmanager push and
 * the log lines, with the escalation bands. A detector added from outside (a service's own area)
 * may raise other codes; they get their series when first raised.
 */
public final class FindingCodes {
  /** One code: what it means and what remedies it. */
  public record Code(String code, String scenario, String about, List<String> actions) {}

  /** How long each band must hold before the generated rules fire, most urgent first. */
  public static final Map<Severity, String> FOR =
      Map.of(
          Severity.CRITICAL, "1m", Severity.HIGH, "2m", Severity.MEDIUM, "5m", Severity.LOW, "10m");

  /** The runbook's escalation path: who is told, by band. */
  public static final Map<Severity, String> ESCALATION =
      Map.of(
          Severity.CRITICAL, "page the on-call engineer now (service down or data at risk)",
          Severity.HIGH, "page a senior engineer (users affected; investigate within 30 min)",
          Severity.MEDIUM, "alert the platform team (some impact; business hours)",
          Severity.LOW, "log it for later analysis (no immediate action)");

  private static final Map<String, Code> CODES = new LinkedHashMap<>();

  static {
    for (FindingCode c : FindingCode.values()) {
      CODES.put(c.code(), new Code(c.code(), c.scenario(), c.about(), c.actions()));
    }
  }

  private FindingCodes() {}

  /** Every code Nova's own detectors raise, in the contract's order. */
  public static List<Code> all() {
    return new ArrayList<>(CODES.values());
  }

  public static Optional<Code> of(String code) {
    return Optional.ofNullable(CODES.get(code));
  }

  /** The value of {@code nova_finding_severity}: 0 not raised, 1 LOW .. 4 CRITICAL. */
  public static int value(Severity s) {
    return s == null ? 0 : Severity.values().length - s.ordinal();
  }
}

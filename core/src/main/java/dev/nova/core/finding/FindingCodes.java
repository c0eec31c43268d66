package dev.nova.core.finding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every finding code Nova raises, with the runbook scenario it comes from, a line for a person, and
 * the actions that remedy it: the one source that the findings' meters, the generated Prometheus
 * rules and Grafana dashboard, the Alertmanager push and the log lines are made from. A detector
 * added from outside (a service's own area) may raise other codes; they get their series when first
 * raised.
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
    add(
        "HTTP_ERROR_RATE",
        "1: API service degradation",
        "5xx share above the runbook's bands",
        "thread-dump",
        "pool-reset");
    add(
        "HTTP_SLOW",
        "1: API service degradation",
        "requests slower than http.slow",
        "thread-dump",
        "query-cancel");
    add(
        "WS_DISCONNECT_SPIKE",
        "2: WebSocket connection drops",
        "WebSocket disconnect rate jumped",
        "thread-dump");
    add(
        "WS_CHURN",
        "2: WebSocket connection drops",
        "many WebSocket connects and disconnects for the sessions open",
        "thread-dump");
    add(
        "WS_SESSION_LEAK",
        "2: WebSocket connection drops",
        "WebSocket sessions gone or idle but still open",
        "ws-close-idle");
    add(
        "DB_POOL_SATURATED",
        "4: database query timeouts",
        "connection pool at its maximum with threads waiting",
        "connection-close-leaked",
        "pool-resize",
        "query-cancel",
        "thread-dump");
    add(
        "DB_CONNECTION_LEAK",
        "4: database query timeouts",
        "a connection held past jdbc.leakThreshold",
        "connection-close-leaked",
        "thread-dump");
    add(
        "DB_SLOW_QUERY",
        "4: database query timeouts",
        "a statement running past jdbc.slowQuery",
        "query-cancel");
    add("DB_UNREACHABLE", "4: database query timeouts", "database connection attempts fail");
    add(
        "DB_LOCK_WAIT",
        "4.4: database lock contention",
        "a statement waiting on a database lock past jdbc.lockWait",
        "db-abort-blocker",
        "thread-dump");
    add(
        "HEAP_GROWTH",
        "5: high memory usage",
        "live heap after GC keeps rising",
        "heap-dump",
        "cache-trim");
    add(
        "HEAP_PRESSURE",
        "5: high memory usage",
        "live heap after GC near the maximum",
        "cache-trim",
        "heap-dump");
    add(
        "GC_PRESSURE",
        "5: high memory usage",
        "too large a share of time in garbage collection",
        "cache-trim",
        "heap-dump");
    add("THREAD_LEAK", "5: high memory usage", "live thread count keeps rising", "thread-dump");
    add(
        "DEPENDENCY_UNREACHABLE",
        "3/4: RTMP or database unreachable",
        "a dependency refuses or times out");
    add(
        "DEPLOY_REGRESSION",
        "Deployment: high error rate after deployment",
        "errors or latency since this version started far worse than the previous version's");
    add(
        "METRICS_MISSING",
        "Metrics: Prometheus metrics missing",
        "a metrics endpoint failing, empty, or no longer scraped");
    add(
        "CPU_SATURATION",
        "1: API service degradation (high CPU)",
        "process CPU above cpu.high over cpu.window",
        "cpu-profile",
        "thread-dump");
    add(
        "LOCK_CONTENTION",
        "1: API service degradation (hung or slow requests)",
        "many threads waiting for one lock, round after round",
        "thread-dump",
        "cpu-profile");
    add(
        "THREAD_DEADLOCK",
        "1/5: hung requests",
        "threads deadlocked on monitors or locks",
        "thread-dump");
  }

  private FindingCodes() {}

  private static void add(String code, String scenario, String about, String... actions) {
    CODES.put(code, new Code(code, scenario, about, List.of(actions)));
  }

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

package dev.nova.core.finding;

import static dev.nova.core.finding.ActionNames.CACHE_TRIM;
import static dev.nova.core.finding.ActionNames.CONNECTION_CLOSE_LEAKED;
import static dev.nova.core.finding.ActionNames.CPU_PROFILE;
import static dev.nova.core.finding.ActionNames.DB_ABORT_BLOCKER;
import static dev.nova.core.finding.ActionNames.HEAP_DUMP;
import static dev.nova.core.finding.ActionNames.POOL_RESET;
import static dev.nova.core.finding.ActionNames.POOL_RESIZE;
import static dev.nova.core.finding.ActionNames.QUERY_CANCEL;
import static dev.nova.core.finding.ActionNames.THREAD_DUMP;
import static dev.nova.core.finding.ActionNames.WS_CLOSE_IDLE;

import java.util.List;

/**
 * Every finding code Nova's own detectors raise, defined once, in the contract's order: its runbook
 * scenario, a line for a person, and the actions that remedy it. Detectors raise findings by these
 * constants; the findings' meters, the generated Prometheus rules and Grafana dashboard, the
 * Alertmanager push, the log lines, the history and the reference pages are made from them.
 */
public enum FindingCode {
  HTTP_ERROR_RATE(
      "1: API service degradation", "5xx share above the runbook's bands", THREAD_DUMP, POOL_RESET),
  HTTP_SLOW(
      "1: API service degradation", "requests slower than http.slow", THREAD_DUMP, QUERY_CANCEL),
  WS_DISCONNECT_SPIKE(
      "2: WebSocket connection drops", "WebSocket disconnect rate jumped", THREAD_DUMP),
  WS_CHURN(
      "2: WebSocket connection drops",
      "many WebSocket connects and disconnects for the sessions open",
      THREAD_DUMP),
  WS_SESSION_LEAK(
      "2: WebSocket connection drops",
      "WebSocket sessions gone or idle but still open",
      WS_CLOSE_IDLE),
  DB_POOL_SATURATED(
      "4: database query timeouts",
      "connection pool at its maximum with threads waiting",
      CONNECTION_CLOSE_LEAKED,
      POOL_RESIZE,
      QUERY_CANCEL,
      THREAD_DUMP),
  DB_CONNECTION_LEAK(
      "4: database query timeouts",
      "a connection held past jdbc.leakThreshold",
      CONNECTION_CLOSE_LEAKED,
      THREAD_DUMP),
  DB_SLOW_QUERY(
      "4: database query timeouts", "a statement running past jdbc.slowQuery", QUERY_CANCEL),
  DB_UNREACHABLE("4: database query timeouts", "database connection attempts fail"),
  DB_LOCK_WAIT(
      "4.4: database lock contention",
      "a statement waiting on a database lock past jdbc.lockWait",
      DB_ABORT_BLOCKER,
      THREAD_DUMP),
  HEAP_GROWTH("5: high memory usage", "live heap after GC keeps rising", HEAP_DUMP, CACHE_TRIM),
  HEAP_PRESSURE(
      "5: high memory usage", "live heap after GC near the maximum", CACHE_TRIM, HEAP_DUMP),
  GC_PRESSURE(
      "5: high memory usage",
      "too large a share of time in garbage collection",
      CACHE_TRIM,
      HEAP_DUMP),
  THREAD_LEAK("5: high memory usage", "live thread count keeps rising", THREAD_DUMP),
  DEPENDENCY_UNREACHABLE("3/4: RTMP or database unreachable", "a dependency refuses or times out"),
  DEPLOY_REGRESSION(
      "Deployment: high error rate after deployment",
      "errors or latency since this version started far worse than the previous version's"),
  METRICS_MISSING(
      "Metrics: Prometheus metrics missing",
      "a metrics endpoint failing, empty, or no longer scraped"),
  CPU_SATURATION(
      "1: API service degradation (high CPU)",
      "process CPU above cpu.high over cpu.window",
      CPU_PROFILE,
      THREAD_DUMP),
  LOCK_CONTENTION(
      "1: API service degradation (hung or slow requests)",
      "many threads waiting for one lock, round after round",
      THREAD_DUMP,
      CPU_PROFILE),
  THREAD_DEADLOCK("1/5: hung requests", "threads deadlocked on monitors or locks", THREAD_DUMP),
  GRPC_ERROR_RATE(
      "1: API service degradation (gRPC)",
      "share of gRPC calls ending UNKNOWN, INTERNAL, UNAVAILABLE, DATA_LOSS or DEADLINE_EXCEEDED",
      THREAD_DUMP),
  EXECUTOR_SATURATED(
      "1: API service degradation (work waiting for a thread)",
      "a thread pool with every worker busy and tasks queued, round after round",
      THREAD_DUMP,
      CPU_PROFILE);

  private final String scenario;
  private final String about;
  private final List<String> actions;

  FindingCode(String scenario, String about, String... actions) {
    this.scenario = scenario;
    this.about = about;
    this.actions = List.of(actions);
  }

  /** The code as the report, the meters and the rules write it ({@code HTTP_ERROR_RATE}). */
  public String code() {
    return name();
  }

  /** The runbook scenario it comes from. */
  public String scenario() {
    return scenario;
  }

  /** One line for a person. */
  public String about() {
    return about;
  }

  /** Every action that can remedy it; a finding lists those that apply to its case. */
  public List<String> actions() {
    return actions;
  }
}

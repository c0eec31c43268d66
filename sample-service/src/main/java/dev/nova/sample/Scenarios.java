package dev.nova.sample;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.FindingCode;
import java.util.List;
import java.util.Set;

/**
 * The runbook's scenarios as the tour and the end-to-end tests run them: the fault to turn on, the
 * finding Nova should raise, the remediation to run through the action endpoint (or, where the
 * runbook's remedy is outside the JVM, turning the fault off), and the findings that may come along
 * with it.
 */
public final class Scenarios {
  private Scenarios() {}

  /**
   * One scenario.
   *
   * @param fault the fault's name under /admin/faults
   * @param runbook the runbook scenario, for a person
   * @param code the finding expected
   * @param action the action that remediates it, with its parameters, or null
   * @param evidenceMentions text the finding's evidence must contain (a fault class's frame...)
   * @param alsoAllowed findings that may come along (a saturated pool also makes 503s)
   * @param minSeverity the least severe band the finding may have
   * @param recoveredWhenEmpty for a finding that keeps recent history (slow statements stay listed
   *     for ten minutes), the evidence member whose emptiness means the condition is over; null
   *     when recovery means the finding is gone
   */
  public record Scenario(
      String fault,
      String runbook,
      String code,
      String action,
      String evidenceMentions,
      Set<String> alsoAllowed,
      String minSeverity,
      String recoveredWhenEmpty) {}

  /** The options the service runs with under the tour: thresholds short enough to watch. */
  public static final String AGENT_OPTIONS =
      "jdbc.leakThreshold=3s,jdbc.slowQuery=1s,http.window=15s,heap.window=20s,"
          + "threads.window=10s,ws.idle=5s,detect.interval=500ms,ws.spikeMin=20,http.minRequests=10,"
          + "findings.hold=10s";

  public static final List<Scenario> ALL =
      List.of(
          new Scenario(
              "error-burst",
              "1. API 502/503 after a deploy",
              FindingCode.HTTP_ERROR_RATE.code(),
              null,
              "/api/v1/streams",
              Set.of(),
              "HIGH",
              null),
          new Scenario(
              "leak-connections",
              "4. database connection leak",
              FindingCode.DB_CONNECTION_LEAK.code(),
              "connection-close-leaked?olderThan=3s",
              "dev.nova.sample.faults.LeakConnections.onRequest(",
              Set.of(
                  FindingCode.DB_POOL_SATURATED.code(),
                  FindingCode.HTTP_ERROR_RATE.code(),
                  FindingCode.HTTP_SLOW.code()),
              "MEDIUM",
              null),
          new Scenario(
              "slow-queries",
              "4.3 slow queries",
              FindingCode.DB_SLOW_QUERY.code(),
              "query-cancel?olderThan=1s",
              "dev.nova.sample.faults.SlowQueries.runReport(",
              Set.of(),
              "MEDIUM",
              "running"),
          new Scenario(
              "exhaust-pool",
              "4. database pool exhaustion",
              FindingCode.DB_POOL_SATURATED.code(),
              "pool-resize?pool=streams&size=20",
              "dev.nova.sample.faults.ExhaustPool.batchJob(",
              Set.of(
                  FindingCode.HTTP_ERROR_RATE.code(),
                  FindingCode.HTTP_SLOW.code(),
                  FindingCode.DB_CONNECTION_LEAK.code(),
                  FindingCode.THREAD_LEAK.code()),
              "MEDIUM",
              null),
          new Scenario(
              "leak-threads",
              "5. goroutine (thread) leak",
              FindingCode.THREAD_LEAK.code(),
              ActionNames.THREAD_DUMP,
              "dev.nova.sample.faults.LeakThreads.startListener(",
              Set.of(),
              "MEDIUM",
              null),
          new Scenario(
              "retain-memory",
              "5. memory growth (cache bloat)",
              FindingCode.HEAP_GROWTH.code(),
              "cache-trim?fraction=0",
              "dev.nova.sample.faults.RetainMemory.cacheRendition(", // a leak candidate's frame
              Set.of(
                  FindingCode.GC_PRESSURE.code(),
                  FindingCode.HEAP_PRESSURE.code(),
                  FindingCode.HTTP_SLOW.code()),
              "MEDIUM",
              null),
          // before the zombie sessions: closing those (1001, server) is a burst of disconnects too
          new Scenario(
              "drop-websockets",
              "2. WebSocket drops (1006)",
              FindingCode.WS_DISCONNECT_SPIKE.code(),
              null,
              "1006/abnormal",
              Set.of(FindingCode.WS_CHURN.code()),
              "HIGH",
              null),
          new Scenario(
              "silent-sessions",
              "2.4 zombie WebSocket sessions",
              FindingCode.WS_SESSION_LEAK.code(),
              "ws-close-idle?olderThan=5s",
              "idleSessions",
              Set.of(FindingCode.WS_CHURN.code()),
              "MEDIUM",
              null));
}

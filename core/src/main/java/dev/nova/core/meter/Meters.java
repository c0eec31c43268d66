package dev.nova.core.meter;

import java.util.List;

/**
 * Every meter Nova registers, defined once: its Micrometer name, kind, unit, tags and description.
 * The areas register their meters by these constants; history, the deploy figures and the generated
 * Prometheus rules and Grafana dashboard read them back by the same constants, and the metrics
 * reference page is rendered from this list. The runbook's own queries keep working, so the names
 * of the HTTP and WebSocket meters are part of the contract.
 */
public final class Meters {
  private Meters() {}

  /** How a meter counts. */
  public enum Kind {
    COUNTER,
    GAUGE,
    TIMER
  }

  /**
   * One meter.
   *
   * @param name the Micrometer name ({@code nova.http.request.duration})
   * @param kind how it counts
   * @param unit its base unit ({@code bytes}, {@code seconds}) or null
   * @param tags its tag keys, each with a bounded set of values
   * @param description what it measures, as the registry shows it
   */
  public record Meter(String name, Kind kind, String unit, List<String> tags, String description) {
    /** The name of its series in Prometheus' text format ({@code _count} etc. for a timer). */
    public String prometheus() {
      String base = name.replace('.', '_');
      String unitPart = kind == Kind.TIMER ? "seconds" : unit;
      if (unitPart != null && !base.endsWith("_" + unitPart)) {
        base = base + "_" + unitPart;
      }
      return kind == Kind.COUNTER ? base + "_total" : base;
    }

    /** The series of a timer's or counter's {@code suffix}: {@code _count}, {@code _bucket}. */
    public String prometheus(String suffix) {
      return prometheus() + suffix;
    }
  }

  private static Meter m(String name, Kind kind, String unit, String description, String... tags) {
    return new Meter(name, kind, unit, List.of(tags), description);
  }

  // HTTP and WebSocket (these four names are the runbook's)
  public static final Meter HTTP_REQUEST_DURATION =
      m(
          "nova.http.request.duration",
          Kind.TIMER,
          "seconds",
          "HTTP requests from first byte in to last byte out",
          "method",
          "route",
          "status",
          "protocol");
  public static final Meter HTTP_ERRORS =
      m(
          "nova.http.errors",
          Kind.COUNTER,
          null,
          "HTTP responses with a 5xx status",
          "route",
          "status",
          "protocol");
  public static final Meter GRPC_SERVER_DURATION =
      m(
          "nova.grpc.server.duration",
          Kind.TIMER,
          "seconds",
          "gRPC server calls from their start to their close, by status",
          "service",
          "method",
          "code");
  public static final Meter GRPC_SERVER_STREAMS =
      m(
          "nova.grpc.server.streams",
          Kind.GAUGE,
          null,
          "Streaming gRPC calls (client, server, bidi) open now",
          "service",
          "method");
  public static final Meter WS_CONNECTIONS =
      m("websocket.connections", Kind.GAUGE, null, "Open WebSocket sessions", "route");
  public static final Meter WS_DISCONNECTS =
      m(
          "websocket.disconnects",
          Kind.COUNTER,
          null,
          "WebSocket sessions ended, by close code and by who ended them",
          "code",
          "side");
  public static final Meter WS_SESSION_DURATION =
      m(
          "nova.websocket.session.duration",
          Kind.TIMER,
          "seconds",
          "How long WebSocket sessions lasted");
  public static final Meter WS_FRAMES =
      m("nova.websocket.frames", Kind.COUNTER, null, "WebSocket frames", "direction");
  public static final Meter WS_UPGRADES =
      m(
          "nova.websocket.upgrades",
          Kind.COUNTER,
          null,
          "WebSocket upgrade requests by the status they got",
          "status");

  // JDBC and pools
  public static final Meter JDBC_CONNECTION_LEAKS =
      m(
          "nova.jdbc.connection.leaks",
          Kind.COUNTER,
          null,
          "Connections held past jdbc.leakThreshold or collected without close()");
  public static final Meter JDBC_BORROWS =
      m("nova.jdbc.borrows", Kind.COUNTER, null, "Connections handed to the application");
  public static final Meter JDBC_STATEMENTS =
      m("nova.jdbc.statements", Kind.COUNTER, null, "Statement executions");
  public static final Meter JDBC_CONNECT_FAILURES =
      m(
          "nova.jdbc.connect.failures",
          Kind.COUNTER,
          null,
          "Connection attempts that failed for network-class reasons");
  public static final Meter JDBC_BORROWED =
      m("nova.jdbc.borrowed", Kind.GAUGE, null, "Connections borrowed and not yet closed");
  public static final Meter POOL_ACTIVE =
      m("nova.pool.active", Kind.GAUGE, null, "Connections of the pool in use now", "pool");
  public static final Meter POOL_IDLE =
      m("nova.pool.idle", Kind.GAUGE, null, "Connections of the pool open and idle now", "pool");
  public static final Meter POOL_MAX =
      m("nova.pool.max", Kind.GAUGE, null, "The pool's maximum size", "pool");
  public static final Meter POOL_WAITING =
      m(
          "nova.pool.waiting",
          Kind.GAUGE,
          null,
          "Threads waiting for a connection of the pool now",
          "pool");
  public static final Meter POOL_ACQUIRE_TIMEOUTS =
      m(
          "nova.pool.acquire.timeouts",
          Kind.COUNTER,
          null,
          "Borrows from the pool that timed out waiting for a connection",
          "pool");

  // heap, GC and threads
  public static final Meter HEAP_USED =
      m("nova.heap.used", Kind.GAUGE, "bytes", "Heap in use now, live and not yet collected");
  public static final Meter HEAP_MAX =
      m(
          "nova.heap.max",
          Kind.GAUGE,
          "bytes",
          "The most heap the JVM may use; -1 when it has no limit");
  public static final Meter HEAP_AFTER_GC =
      m(
          "nova.heap.after.gc",
          Kind.GAUGE,
          "bytes",
          "Live heap after the last collection; -1 before the first");
  public static final Meter GC_COLLECTIONS =
      m(
          "nova.gc.collections",
          Kind.COUNTER,
          null,
          "Garbage collections since the JVM started, all collectors");
  public static final Meter GC_TIME =
      m(
          "nova.gc.time",
          Kind.COUNTER,
          "seconds",
          "Time spent in garbage collection since the JVM started, all collectors");
  public static final Meter THREADS_LIVE =
      m("nova.threads.live", Kind.GAUGE, null, "Live platform threads, daemon or not");
  public static final Meter THREADS_DAEMON =
      m("nova.threads.daemon", Kind.GAUGE, null, "Live daemon threads");
  public static final Meter THREADS_PEAK =
      m(
          "nova.threads.peak",
          Kind.GAUGE,
          null,
          "The most live threads at once since the JVM started or the peak was reset");

  // findings, for Prometheus rules and Alertmanager
  public static final Meter FINDING_SEVERITY =
      m(
          "nova.finding.severity",
          Kind.GAUGE,
          null,
          "Severity of the finding with this code now: 0 not raised, 1 LOW, 2 MEDIUM, 3 HIGH,"
              + " 4 CRITICAL (the runbook's escalation bands)",
          "code");
  public static final Meter FINDINGS_RAISED =
      m(
          "nova.findings.raised",
          Kind.COUNTER,
          null,
          "Findings raised, or changed to this severity, by code",
          "code",
          "severity");
  public static final Meter INFO =
      m(
          "nova.info",
          Kind.GAUGE,
          null,
          "Always 1: the service's running version, and the Nova version and mode serving it,"
              + " as labels",
          "version",
          "nova",
          "mode");

  // Nova itself
  public static final Meter ACTIONS =
      m("nova.actions", Kind.COUNTER, null, "Action requests by outcome", "action", "status");
  public static final Meter AUTOPILOT_RUNS =
      m(
          "nova.autopilot.runs",
          Kind.COUNTER,
          null,
          "Runs of the autopilot's rules by outcome (helped, not-helped, dry-run, failed,"
              + " skipped)",
          "code",
          "action",
          "outcome");
  public static final Meter ADMIN_REQUESTS =
      m(
          "nova.admin.requests",
          Kind.COUNTER,
          null,
          "Requests to Nova's admin listener",
          "route",
          "status");
  public static final Meter AGENT_ERRORS =
      m(
          "nova.agent.errors",
          Kind.COUNTER,
          null,
          "Errors Nova caught instead of throwing into the host",
          "kind");
  public static final Meter AGENT_HEAP_ESTIMATE =
      m("nova.agent.heap.estimate", Kind.GAUGE, "bytes", "Rough heap taken by what Nova tracks");
  public static final Meter AGENT_TRACKED_OBJECTS =
      m("nova.agent.tracked.objects", Kind.GAUGE, null, "Objects Nova keeps track of", "kind");
  public static final Meter AGENT_SHEDDING =
      m(
          "nova.agent.shedding",
          Kind.GAUGE,
          null,
          "1 while Nova sheds its optional work because the host's heap is nearly full, its"
              + " CPU is saturated or Nova's own threads are over their CPU budget");

  /** Registered in the host's own registry only (library mode), so Nova sees it publish. */
  public static final Meter REGISTRY_READS =
      m(
          "nova.registry.reads",
          Kind.GAUGE,
          null,
          "Always 1: read when this registry publishes or is scraped, which Nova watches");

  /** Every meter, in the reference page's order. */
  public static List<Meter> all() {
    return List.of(
        HTTP_REQUEST_DURATION,
        HTTP_ERRORS,
        GRPC_SERVER_DURATION,
        GRPC_SERVER_STREAMS,
        WS_CONNECTIONS,
        WS_DISCONNECTS,
        WS_SESSION_DURATION,
        WS_FRAMES,
        WS_UPGRADES,
        JDBC_CONNECTION_LEAKS,
        JDBC_BORROWS,
        JDBC_STATEMENTS,
        JDBC_CONNECT_FAILURES,
        JDBC_BORROWED,
        POOL_ACTIVE,
        POOL_IDLE,
        POOL_MAX,
        POOL_WAITING,
        POOL_ACQUIRE_TIMEOUTS,
        HEAP_USED,
        HEAP_MAX,
        HEAP_AFTER_GC,
        GC_COLLECTIONS,
        GC_TIME,
        THREADS_LIVE,
        THREADS_DAEMON,
        THREADS_PEAK,
        FINDING_SEVERITY,
        FINDINGS_RAISED,
        INFO,
        ACTIONS,
        AUTOPILOT_RUNS,
        ADMIN_REQUESTS,
        AGENT_ERRORS,
        AGENT_HEAP_ESTIMATE,
        AGENT_TRACKED_OBJECTS,
        AGENT_SHEDDING,
        REGISTRY_READS);
  }
}

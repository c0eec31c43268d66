package dev.nova.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Every option Nova knows. The README's options table lists the same keys. */
public final class Options {
  private Options() {}

  public static final Option<Boolean> ENABLED =
      Option.bool("enabled", true, "false turns Nova off entirely (the agent installs nothing)");
  public static final Option<Integer> PORT =
      Option.integer("port", 9311, 0, 65535, "admin listener port; 0 picks a free port");
  public static final Option<String> BIND =
      Option.text("bind", "127.0.0.1", "admin listener address");
  public static final Option<String> TOKEN =
      Option.secret(
          "token", "bearer token for every POST; with no token set, every POST answers 403");
  public static final Option<Path> PORT_FILE =
      Option.path(
          "portFile", null, "if set, the bound port is written to this file once listening");
  public static final Option<Boolean> HEAP_DUMP =
      Option.bool("heapDump", false, "allows the heap-dump action");
  public static final Option<Path> HEAP_DUMP_DIR =
      Option.path(
          "heap.dumpDir",
          Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "nova"),
          "the only directory heap dumps go to (created owner-only)");

  public static final Option<Duration> JDBC_LEAK_THRESHOLD =
      Option.duration(
          "jdbc.leakThreshold",
          "30s",
          Duration.ofMillis(10),
          "a connection held longer than this is a leak suspect");
  public static final Option<Duration> JDBC_SLOW_QUERY =
      Option.duration(
          "jdbc.slowQuery",
          "5s",
          Duration.ofMillis(1),
          "a statement running longer than this is slow (runbook step 4.3)");
  public static final Option<Duration> JDBC_LOCK_WAIT =
      Option.duration(
          "jdbc.lockWait",
          "2s",
          Duration.ofMillis(100),
          "a statement running this long on PostgreSQL is checked for a lock wait (DB_LOCK_WAIT)");
  public static final Option<Integer> JDBC_STACK_DEPTH =
      Option.integer(
          "jdbc.stackDepth",
          32,
          0,
          256,
          "frames kept of the stack that borrowed a connection; 0 captures none");
  public static final Option<Boolean> JDBC_WRITE_STACK =
      Option.bool(
          "jdbc.writeStack",
          true,
          "keep the stack of each borrowed connection's last writing statement, so that"
              + " DB_LOCK_WAIT names the code that took the lock (one stack capture each time a"
              + " borrow runs a different INSERT, UPDATE, DELETE, MERGE, LOCK or SELECT ... FOR"
              + " UPDATE than its last; the same statement repeated keeps its stack); false keeps"
              + " none");
  public static final Option<Duration> HTTP_SLOW =
      Option.duration(
          "http.slow",
          "5s",
          Duration.ofMillis(1),
          "a request slower than this is slow (runbook scenario 1)");
  public static final Option<Duration> HTTP_WINDOW =
      Option.duration(
          "http.window",
          "1m",
          Duration.ofSeconds(1),
          "how far back the HTTP error-rate and latency figures look");
  public static final Option<String> HTTP_ROUTES =
      Option.text(
          "http.routes",
          null,
          "route templates separated by ';' ({name} matches one segment), e.g. "
              + "/api/v1/streams/{id}/ws; numeric, UUID and long hex segments become {id} "
              + "anyway");
  public static final Option<Integer> HTTP_MIN_REQUESTS =
      Option.integer(
          "http.minRequests",
          20,
          1,
          1_000_000,
          "requests in the window before an error share is judged");
  public static final Option<Double> WS_SPIKE_FACTOR =
      Option.decimal(
          "ws.spikeFactor",
          3.0,
          1.1,
          1000.0,
          "disconnects in the last minute this many times the recent per-minute baseline is a"
              + " spike");
  public static final Option<Integer> WS_SPIKE_MIN =
      Option.integer(
          "ws.spikeMin", 10, 1, 1_000_000, "fewest disconnects in a minute that can be a spike");
  public static final Option<Integer> WS_LEAK_MIN =
      Option.integer(
          "ws.leakMin",
          10,
          1,
          1_000_000,
          "fewest silent or gone sessions that can be more than LOW (HIGH from half the open ones)");
  public static final Option<Double> WS_CHURN_RATIO =
      Option.decimal(
          "ws.churnRatio",
          2.0,
          0.1,
          1000.0,
          "connects plus disconnects in a minute per open session that is churn");
  public static final Option<Integer> WS_CHURN_MIN =
      Option.integer(
          "ws.churnMin", 30, 1, 1_000_000, "fewest connects plus disconnects a minute for churn");
  public static final Option<String> DEPS =
      Option.text(
          "deps",
          null,
          "dependencies to probe by TCP connect, name:host:port separated by ';' "
              + "(database hosts from JDBC URLs are added by themselves)");
  public static final Option<Duration> DEPS_INTERVAL =
      Option.duration(
          "deps.interval",
          "30s",
          Duration.ofSeconds(1),
          "how often each dependency is probed (jittered; backs off up to 8x while it fails)");
  public static final Option<Duration> HEAP_WINDOW =
      Option.duration(
          "heap.window", "5m", Duration.ofSeconds(1), "how far back the heap-growth trend looks");
  public static final Option<Double> HEAP_PRESSURE =
      Option.decimal(
          "heap.pressure",
          0.90,
          0.5,
          0.99,
          "live heap after GC above this share of the maximum is HEAP_PRESSURE (runbook: 90%)");
  public static final Option<Double> GC_SHARE =
      Option.decimal(
          "gc.share",
          0.10,
          0.01,
          0.9,
          "share of wall time in GC above which GC_PRESSURE is raised");
  public static final Option<Duration> GC_WINDOW =
      Option.duration("gc.window", "1m", Duration.ofSeconds(1), "how far back the GC share looks");
  public static final Option<Duration> THREADS_WINDOW =
      Option.duration(
          "threads.window",
          "5m",
          Duration.ofSeconds(1),
          "how far back the thread-growth trend looks");
  public static final Option<Duration> EXECUTOR_WINDOW =
      Option.duration(
          "executor.window",
          "30s",
          Duration.ofSeconds(1),
          "how far back EXECUTOR_SATURATED looks: a registered thread pool saturated (every worker"
              + " busy, tasks queued) in four rounds out of five, once half of it is seen");
  public static final Option<Duration> WS_IDLE =
      Option.duration(
          "ws.idle",
          "1h",
          Duration.ofSeconds(1),
          "a WebSocket session with no frame for this long is idle (runbook step "
              + "2.4); the frames counted are the client's, since a server keeps writing "
              + "broadcasts into a zombie's dead socket");

  public static final Option<String> INSTRUMENTATION_OFF =
      Option.text(
          "instrumentation.off",
          null,
          "agent instrumentation modules not to install, separated by ';' (names as "
              + "in agent.instrumentation.modules: jdbc, servlet, netty, caffeine, "
              + "jdk-httpserver, jetty-http, tomcat-websocket, jetty-websocket, "
              + "undertow-websocket, threads, executors)");

  public static final Option<Boolean> JFR =
      Option.bool(
          "jfr",
          true,
          "false keeps JDK Flight Recorder off (as a library, thread creation sites "
              + "are then unknown; the agent reads them from its advice on Thread.start)");
  public static final Option<Double> AGENT_CPU_BUDGET =
      Option.decimal(
          "agent.cpuBudget",
          0.05,
          0.001,
          1.0,
          "share of one core Nova's own threads may use (over 10 s, for 30 s) "
              + "before it sheds its optional work; agent.cpu in the report says what "
              + "they use");
  public static final Option<List<java.net.URI>> ALERTMANAGER =
      Option.urls(
          "alertmanager",
          "Alertmanager base URLs, separated by ';', that active findings are pushed to");
  public static final Option<Duration> ALERTMANAGER_INTERVAL =
      Option.duration(
          "alertmanager.interval",
          "30s",
          Duration.ofSeconds(1),
          "how often active findings are (re)sent to Alertmanager");
  public static final Option<String> LOG_FORMAT =
      Option.choice(
          "log.format",
          "text",
          List.of("text", "json"),
          "json writes finding and audit lines as JSON lines");
  public static final Option<Double> CPU_HIGH =
      Option.decimal(
          "cpu.high",
          0.80,
          0.05,
          1.0,
          "share of the CPUs the JVM may use above which, held over cpu.window, CPU_SATURATION is"
              + " raised");
  public static final Option<Duration> CPU_WINDOW =
      Option.duration("cpu.window", "1m", Duration.ofSeconds(1), "how long the CPU must stay high");
  public static final Option<Integer> LOCK_WAITERS =
      Option.integer(
          "lock.waiters",
          4,
          2,
          10_000,
          "threads waiting for one lock, round after round over lock.window, that make"
              + " LOCK_CONTENTION");
  public static final Option<Duration> LOCK_WINDOW =
      Option.duration(
          "lock.window", "30s", Duration.ofSeconds(1), "how long a lock must stay contended");
  public static final Option<String> SERVICE_VERSION =
      Option.text(
          "service.version",
          null,
          "the running version of the service (else the main jar's Implementation-Version, else a"
              + " checksum of it)");
  public static final Option<String> STATE_DIR =
      Option.text(
          "state.dir",
          null,
          "directory kept across restarts for DEPLOY_REGRESSION (created "
              + "owner-only); none turns it off");
  public static final Option<Duration> DEPLOY_WINDOW =
      Option.duration(
          "deploy.window",
          "15m",
          Duration.ofSeconds(1),
          "how long after a new version starts DEPLOY_REGRESSION compares it with the previous");
  public static final Option<String> METRICS_PATHS =
      Option.text(
          "metrics.paths",
          "/metrics;/actuator/prometheus",
          "the host's own metrics routes that METRICS_MISSING watches");
  public static final Option<Duration> HISTORY_INTERVAL =
      Option.duration(
          "history.interval",
          "10s",
          Duration.ofSeconds(1),
          "how often /debug/nova/history takes a sample (the last 360 are kept: an "
              + "hour at 10s, six minutes at 1s)");
  public static final Option<Duration> JFR_DELAY =
      Option.duration(
          "jfr.delay",
          "10s",
          Duration.ZERO,
          "JFR may start this long after Nova at the earliest, out of the host's "
              + "start-up (0s: at once); as a library, threads created before have no "
              + "creation site");
  public static final Option<Boolean> JFR_ALLOCATIONS =
      Option.bool(
          "jfr.allocations",
          true,
          "false leaves out JFR allocation samples (the top allocators in "
              + "signals.heap and GC_PRESSURE); when on, they are taken only while heap "
              + "growth or GC pressure is suspected");
  public static final Option<Boolean> JFR_OLD_OBJECTS =
      Option.bool(
          "jfr.oldObjects",
          true,
          "false leaves out JFR old-object sampling (the leak candidates of "
              + "HEAP_GROWTH); when on, the sampler runs only while heap growth is "
              + "suspected");
  public static final Option<Duration> FINDINGS_HOLD =
      Option.duration(
          "findings.hold",
          "30s",
          Duration.ZERO,
          "how long a finding stays after its condition clears, so a sawtooth does "
              + "not make it flicker (also how long a saturated pool must be quiet to "
              + "count as recovered)");
  public static final Option<Duration> DETECT_INTERVAL =
      Option.duration(
          "detect.interval", "2s", Duration.ofMillis(50), "how often the detectors run");
  public static final Option<Integer> ADMIN_THREADS =
      Option.integer("admin.threads", 2, 1, 16, "threads serving the admin listener (1..16)");
  public static final Option<Integer> ACTIONS_PER_MINUTE =
      Option.integer(
          "actions.perMinute",
          30,
          1,
          10_000,
          "POSTs accepted per minute, authorised or not; more answer 429");
  public static final Option<Integer> ACTIONS_CONCURRENCY =
      Option.integer(
          "actions.concurrency",
          2,
          1,
          16,
          "actions running at once; more answer 429 (one of each action at a time)");

  public static final Option<String> INCIDENT_ON =
      Option.choice(
          "incident.on",
          "critical",
          List.of("critical", "high", "medium", "low", "none"),
          "a finding that first reaches this severity (CRITICAL, HIGH, MEDIUM, LOW) writes an"
              + " incident bundle; none turns bundles off");
  public static final Option<String> INCIDENT_DIR =
      Option.text(
          "incident.dir",
          null,
          "where incident bundles are written, created owner-only (else incidents under"
              + " state.dir, or under the temp dir when state.dir is none)");
  public static final Option<Integer> INCIDENT_KEEP =
      Option.integer(
          "incident.keep",
          20,
          1,
          1000,
          "incident bundles kept, the oldest deleted first (and never more than 512 MiB of them)");
  public static final Option<String> AUTOPILOT =
      Option.text(
          "autopilot",
          null,
          "rules CODE=action separated by ; (DB_CONNECTION_LEAK=connection-close-leaked): while"
              + " a finding with that code is raised, Nova runs that action itself (see"
              + " docs/autopilot.md for the rules it accepts)");
  public static final Option<String> AUTOPILOT_MODE =
      Option.choice(
          "autopilot.mode",
          "dry-run",
          List.of("dry-run", "on"),
          "dry-run records what each rule would do and changes nothing; on runs it");
  public static final Option<Duration> AUTOPILOT_EVERY =
      Option.duration(
          "autopilot.every",
          "10m",
          Duration.ofSeconds(1),
          "the least time between two runs of one rule");
  public static final Option<Duration> INCIDENT_RECORDING =
      Option.durationOrNone(
          "incident.recording",
          "5m",
          Duration.ofSeconds(10),
          "how much of Nova's rolling flight recording goes into a bundle (its own low-overhead"
              + " settings, no environment, properties or arguments); none keeps no recording");

  public static final List<Option<?>> ALL =
      List.of(
          ENABLED,
          PORT,
          BIND,
          TOKEN,
          PORT_FILE,
          HEAP_DUMP,
          HEAP_DUMP_DIR,
          JDBC_LEAK_THRESHOLD,
          JDBC_SLOW_QUERY,
          JDBC_STACK_DEPTH,
          JDBC_WRITE_STACK,
          HTTP_SLOW,
          HTTP_WINDOW,
          HTTP_ROUTES,
          HTTP_MIN_REQUESTS,
          WS_SPIKE_FACTOR,
          WS_SPIKE_MIN,
          WS_LEAK_MIN,
          WS_CHURN_RATIO,
          WS_CHURN_MIN,
          DEPS,
          DEPS_INTERVAL,
          INSTRUMENTATION_OFF,
          JFR_DELAY,
          HISTORY_INTERVAL,
          METRICS_PATHS,
          SERVICE_VERSION,
          STATE_DIR,
          DEPLOY_WINDOW,
          JDBC_LOCK_WAIT,
          LOCK_WAITERS,
          LOCK_WINDOW,
          AGENT_CPU_BUDGET,
          CPU_HIGH,
          CPU_WINDOW,
          ALERTMANAGER,
          ALERTMANAGER_INTERVAL,
          LOG_FORMAT,
          HEAP_WINDOW,
          HEAP_PRESSURE,
          GC_SHARE,
          GC_WINDOW,
          THREADS_WINDOW,
          EXECUTOR_WINDOW,
          WS_IDLE,
          JFR,
          JFR_ALLOCATIONS,
          JFR_OLD_OBJECTS,
          FINDINGS_HOLD,
          DETECT_INTERVAL,
          ADMIN_THREADS,
          ACTIONS_PER_MINUTE,
          ACTIONS_CONCURRENCY,
          INCIDENT_ON,
          INCIDENT_DIR,
          INCIDENT_KEEP,
          INCIDENT_RECORDING,
          AUTOPILOT,
          AUTOPILOT_MODE,
          AUTOPILOT_EVERY);
}

package dev.nova.core;

import dev.nova.core.bridge.CacheBridge;
import dev.nova.core.bridge.HttpServerBridge;
import dev.nova.core.bridge.JdbcBridge;
import dev.nova.core.bridge.NettyBridge;
import dev.nova.core.cache.CacheRegistry;
import dev.nova.core.cache.CacheTrimAction;
import dev.nova.core.cache.TrimmableCache;
import dev.nova.core.config.ConfigProblem;
import dev.nova.core.config.NovaConfig;
import dev.nova.core.config.Options;
import dev.nova.core.deps.DependencyProbes;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.DetectorScheduler;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.endpoint.AdminApi;
import dev.nova.core.endpoint.AdminServer;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Report;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.health.SelfProtection;
import dev.nova.core.heap.AllocationMonitor;
import dev.nova.core.heap.GcShare;
import dev.nova.core.heap.HeapDetector;
import dev.nova.core.heap.HeapDumpAction;
import dev.nova.core.heap.HeapMonitor;
import dev.nova.core.heap.LeakCandidates;
import dev.nova.core.http.HttpDetectors;
import dev.nova.core.http.HttpTracker;
import dev.nova.core.http.NovaHttp;
import dev.nova.core.http.Routes;
import dev.nova.core.http.WsActions;
import dev.nova.core.http.WsDetectors;
import dev.nova.core.http.WsTracker;
import dev.nova.core.jdbc.JdbcActions;
import dev.nova.core.jdbc.JdbcDetectors;
import dev.nova.core.jdbc.JdbcSignals;
import dev.nova.core.jdbc.JdbcTracker;
import dev.nova.core.jdbc.NovaJdbc;
import dev.nova.core.jvm.JfrStream;
import dev.nova.core.jvm.JvmSignals;
import dev.nova.core.pool.PoolRegistry;
import dev.nova.core.pool.PoolSaturationDetector;
import dev.nova.core.pool.PoolView;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionDispatcher;
import dev.nova.core.remediation.AuditLog;
import dev.nova.core.remediation.TokenAuth;
import dev.nova.core.threads.ThreadDumpAction;
import dev.nova.core.threads.ThreadLeakDetector;
import dev.nova.core.threads.ThreadMonitor;
import dev.nova.core.util.NovaLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Nova in one object: configuration, detectors, signals, actions, meters and the admin listener.
 *
 * <p>A service that does not use the agent starts it with one call:
 *
 * <pre>{@code
 * Nova nova = Nova.start(Map.of("token", System.getenv("NOVA_ADMIN_TOKEN")));
 * }</pre>
 *
 * <p>and gets {@code GET http://127.0.0.1:9311/debug/nova} with the same report the agent gives.
 * Options not given in code are read from {@code nova.*} system properties and {@code NOVA_*}
 * environment variables. Nothing here throws into the caller for bad configuration: problems are
 * reported on stderr and in the report, and defaults apply.
 */
public final class Nova implements AutoCloseable {
  /** The system property the agent sets to its listener's address, so a library start defers. */
  public static final String AGENT_ADDRESS_PROPERTY = "dev.nova.agent.address";

  private static final Object GLOBAL_LOCK = new Object();
  private static volatile Nova global;

  private final NovaConfig config;
  private final String mode;
  private final Instant startedAt;
  private final NovaClock clock;
  private final NovaHealth health;
  private final PrometheusMeterRegistry prometheus;
  private final MeterRegistry registry;
  private final DetectorScheduler scheduler;
  private final ActionDispatcher actions;
  private final AuditLog audit = new AuditLog();
  private final List<SignalSource> signals = new CopyOnWriteArrayList<>();
  private final Map<String, Supplier<Map<String, Object>>> agentSections = new LinkedHashMap<>();
  private final Map<String, Supplier<Map<String, Object>>> views = new ConcurrentHashMap<>();
  private final NovaJdbc jdbc;
  private final HeapMonitor heap;
  private final CacheRegistry caches = new CacheRegistry();
  private final java.util.function.Consumer<Object> cacheSink = caches::registerCaffeine;
  private final ThreadMonitor threadMonitor;
  private final JfrStream jfr;
  private final LeakCandidates leakCandidates;
  private final SelfProtection selfProtection;
  private final AdminServer server;
  private final NovaHttp http;
  private final DependencyProbes deps;
  private final java.util.function.Consumer<Object> contextSink;
  private volatile InetSocketAddress address;
  private volatile String listenerProblem;
  private volatile Thread shutdownHook;

  private Nova(Builder b) {
    this.config = b.config != null ? b.config : NovaConfig.fromCode(b.options);
    this.mode = b.mode;
    this.clock = b.clock;
    this.health = b.health != null ? b.health : new NovaHealth();
    this.startedAt = clock.now();
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (b.registry == null) {
      this.registry = prometheus;
    } else {
      CompositeMeterRegistry composite = new CompositeMeterRegistry();
      composite.add(prometheus);
      composite.add(b.registry);
      this.registry = composite;
    }
    this.scheduler = new DetectorScheduler(clock, health);
    this.actions =
        new ActionDispatcher(
            new TokenAuth(config.token().orElse(null)),
            config.get(Options.ACTIONS_PER_MINUTE),
            config.get(Options.ACTIONS_CONCURRENCY),
            audit,
            health,
            clock);
    this.server = new AdminServer(api(), health, registry);
    agentSections.putAll(b.sections);

    health.bindTo(registry);
    actions.bindTo(registry);
    JvmSignals jvm = new JvmSignals();
    jvm.bindTo(registry);
    signals.add(jvm.jvm());
    this.heap = new HeapMonitor(clock, health);
    GcShare gcShare =
        new GcShare(clock, jvm::gcTimeMillis, config.get(Options.GC_WINDOW).toNanos());
    this.jfr = new JfrStream(health);
    this.threadMonitor = new ThreadMonitor(clock, health, jfr);
    AllocationMonitor allocations =
        new AllocationMonitor(
            clock,
            health,
            jfr,
            Duration.ofMinutes(1).toNanos(),
            config.get(Options.JFR_ALLOCATIONS));
    this.leakCandidates = new LeakCandidates(clock, health);
    this.selfProtection = new SelfProtection(heap::lastShare, SelfProtection.jvmCpuLoad(), health);
    selfProtection.add("allocation sampling", allocations::shed, allocations::resume);
    selfProtection.add("old-object sampling", leakCandidates::shed, leakCandidates::resume);
    selfProtection.bindTo(registry);
    scheduler.register(selfProtection);
    signals.add(threadSignal(jvm, threadMonitor, config.get(Options.THREADS_WINDOW).toNanos()));
    Duration hold = config.get(Options.FINDINGS_HOLD);
    scheduler.register(
        new ThreadLeakDetector(threadMonitor, config.get(Options.THREADS_WINDOW), hold));
    scheduler.register(
        new HeapDetector(
            heap,
            gcShare,
            config.get(Options.HEAP_WINDOW),
            config.get(Options.HEAP_PRESSURE),
            config.get(Options.GC_SHARE),
            heap::maxHeap,
            allocations,
            leakCandidates,
            hold));
    signals.add(
        heap.signal(
            jvm.heap(),
            config.get(Options.HEAP_WINDOW).toNanos(),
            gcShare,
            () -> {
              Map<String, Object> m = allocations.snapshot();
              m.put("leakCandidates", leakCandidates.status());
              return m;
            }));
    actions.register(
        new ThreadDumpAction(
            id -> {
              ThreadMonitor.Site s = threadMonitor.siteOf(id);
              return s == null ? null : s.key();
            }));
    actions.register(
        new HeapDumpAction(
            config.get(Options.HEAP_DUMP), config.get(Options.HEAP_DUMP_DIR), clock));
    this.jdbc = startJdbc();
    this.http = startHttp();
    this.contextSink =
        ctx -> {
          if (ctx instanceof com.sun.net.httpserver.HttpContext c) {
            http.observe(c);
          }
        };
    HttpServerBridge.install(contextSink);
    this.deps =
        new DependencyProbes(
            clock,
            health,
            config.get(Options.DEPS),
            config.get(Options.DEPS_INTERVAL),
            jdbc.tracker()::databaseTargets,
            hold);
    signals.add(SignalSource.of("deps", deps::snapshot));
    scheduler.register(deps);
    actions.register(new CacheTrimAction(caches));
    signals.add(cacheSignal(caches));
    CacheBridge.install(cacheSink);
    health.track("caches", () -> caches.caches().size(), 128);
    health.track("audit-entries", () -> audit.recent().size(), 256);
    health.track("meters", () -> registry.getMeters().size(), 512);
  }

  private NovaJdbc startJdbc() {
    PoolRegistry pools = new PoolRegistry();
    JdbcTracker tracker =
        new JdbcTracker(
            clock,
            health,
            pools,
            config.get(Options.JDBC_SLOW_QUERY).toNanos(),
            config.get(Options.JDBC_STACK_DEPTH));
    Counter leaks =
        Counter.builder("nova.jdbc.connection.leaks")
            .description("Connections held past jdbc.leakThreshold or collected without close()")
            .register(registry);
    tracker.onLeak(l -> leaks.increment());
    FunctionCounter.builder("nova.jdbc.borrows", tracker, JdbcTracker::borrows)
        .description("Connections handed to the application")
        .register(registry);
    FunctionCounter.builder("nova.jdbc.statements", tracker, JdbcTracker::executions)
        .description("Statement executions")
        .register(registry);
    FunctionCounter.builder("nova.jdbc.connect.failures", tracker, JdbcTracker::connectFailures)
        .description("Connection attempts that failed for network-class reasons")
        .register(registry);
    Gauge.builder("nova.jdbc.borrowed", tracker, t -> t.leases().size())
        .description("Connections borrowed and not yet closed")
        .register(registry);
    pools.onNewPool(
        p -> {
          Gauge.builder("nova.pool.active", p, PoolView::active)
              .tag("pool", p.name())
              .register(registry);
          Gauge.builder("nova.pool.idle", p, PoolView::idle)
              .tag("pool", p.name())
              .register(registry);
          Gauge.builder("nova.pool.max", p, PoolView::max).tag("pool", p.name()).register(registry);
          Gauge.builder("nova.pool.waiting", p, PoolView::waiting)
              .tag("pool", p.name())
              .register(registry);
          FunctionCounter.builder(
                  "nova.pool.acquire.timeouts", tracker, t -> t.acquireTimeouts(p.name()))
              .tag("pool", p.name())
              .register(registry);
        });
    signals.add(JdbcSignals.jdbc(tracker));
    signals.add(JdbcSignals.pools(pools, tracker));
    scheduler.register(JdbcDetectors.leaks(tracker, config.get(Options.JDBC_LEAK_THRESHOLD)));
    scheduler.register(JdbcDetectors.slowQueries(tracker));
    scheduler.register(JdbcDetectors.unreachable(tracker));
    scheduler.register(
        new PoolSaturationDetector(pools, tracker, config.get(Options.FINDINGS_HOLD)));
    actions.register(JdbcActions.poolReset(pools));
    actions.register(JdbcActions.poolResize(pools));
    actions.register(JdbcActions.queryCancel(tracker));
    actions.register(JdbcActions.closeLeaked(tracker, config.get(Options.JDBC_LEAK_THRESHOLD)));
    views.put("jdbc", () -> JdbcSignals.snapshot(tracker, 1_000, true));
    JdbcBridge.install(tracker, health::recordSuppressed);
    return new NovaJdbc(tracker, pools);
  }

  private NovaHttp startHttp() {
    HttpTracker tracker =
        new HttpTracker(
            clock,
            new Routes(config.get(Options.HTTP_ROUTES)),
            registry,
            config.get(Options.HTTP_WINDOW),
            config.get(Options.HTTP_SLOW));
    WsTracker ws = new WsTracker(clock, registry);
    NovaHttp h = new NovaHttp(tracker, ws);
    long idle = config.get(Options.WS_IDLE).toNanos();
    signals.add(SignalSource.of("http", tracker::snapshot));
    signals.add(SignalSource.of("websocket", () -> ws.snapshot(idle)));
    Duration hold = config.get(Options.FINDINGS_HOLD);
    scheduler.register(new HttpDetectors(tracker, config.get(Options.HTTP_MIN_REQUESTS), hold));
    scheduler.register(
        new WsDetectors(
            ws,
            config.get(Options.WS_IDLE),
            config.get(Options.WS_SPIKE_FACTOR),
            config.get(Options.WS_SPIKE_MIN),
            config.get(Options.WS_CHURN_RATIO),
            config.get(Options.WS_CHURN_MIN),
            hold));
    actions.register(WsActions.closeIdle(ws, config.get(Options.WS_IDLE)));
    NettyBridge.install(h.sink());
    return h;
  }

  /**
   * HTTP and WebSocket in library mode: {@code nova.http().observe(context)} for a JDK server
   * context, {@code NovaNettyHandler.of(nova)} in a Netty pipeline.
   */
  public NovaHttp http() {
    return http;
  }

  private static SignalSource threadSignal(
      JvmSignals jvm, ThreadMonitor monitor, long windowNanos) {
    SignalSource base = jvm.threads();
    return SignalSource.of(
        "threads",
        () -> {
          Map<String, Object> m = new LinkedHashMap<>(base.snapshot());
          List<long[]> window = monitor.samples(windowNanos);
          if (window.size() >= 2) {
            long[] first = window.get(0);
            long[] last = window.get(window.size() - 1);
            long started = last[2] - first[2];
            m.put("windowSeconds", (last[0] - first[0]) / 1_000_000_000L);
            m.put("startedInWindow", started);
            m.put("endedInWindow", started - (last[1] - first[1]));
          }
          List<Object> sites = new ArrayList<>();
          for (Map.Entry<ThreadMonitor.Site, Integer> e : monitor.liveBySite()) {
            if (sites.size() < 10) {
              sites.add(Map.of("startedAt", e.getKey().key(), "liveThreads", e.getValue()));
            }
          }
          m.put("byCreationSite", sites);
          List<Object> names = new ArrayList<>();
          for (Map.Entry<String, Integer> e : monitor.liveByName()) {
            if (names.size() < 10) {
              names.add(Map.of("pattern", e.getKey(), "liveThreads", e.getValue()));
            }
          }
          m.put("byName", names);
          m.put("creationSites", monitor.jfrStatus());
          return m;
        });
  }

  private static SignalSource cacheSignal(CacheRegistry caches) {
    return SignalSource.of(
        "caches",
        () -> {
          List<TrimmableCache> all = caches.caches();
          if (all.isEmpty()) {
            return null;
          }
          Map<String, Object> m = new LinkedHashMap<>();
          for (TrimmableCache c : all) {
            m.put(c.name(), Map.of("size", c.size()));
          }
          return m;
        });
  }

  /**
   * The caches {@code cache-trim} works on: register your own here ({@code register}, or {@code
   * registerMap} for a map); Caffeine caches are found by the agent, or registered with {@code
   * registerCaffeine}.
   */
  public CacheRegistry caches() {
    return caches;
  }

  /** JDBC in library mode: wrap a data source, register a pool, read the tracker. */
  public NovaJdbc jdbc() {
    return jdbc;
  }

  /** Adds a named view under {@code GET /debug/nova/<name>}. */
  public void addView(String name, Supplier<Map<String, Object>> view) {
    views.put(name, view);
  }

  /**
   * Starts the process-wide Nova with options from system properties and environment. Calling it
   * again returns the running instance.
   */
  public static Nova start() {
    return start(Map.of());
  }

  /**
   * Starts the process-wide Nova with these options (keys as in the README's options table), then
   * system properties, then environment. Calling it again returns the running instance and ignores
   * the new options (said on stderr). When the Nova agent already serves this JVM, the library
   * instance opens no listener of its own.
   */
  public static Nova start(Map<String, String> options) {
    synchronized (GLOBAL_LOCK) {
      if (global != null) {
        if (!options.isEmpty()) {
          NovaLog.warn("Nova is already running; the options given to this start are ignored");
        }
        return global;
      }
      String agent = System.getProperty(AGENT_ADDRESS_PROPERTY);
      Builder b = builder().options(options).mode("library");
      if (agent != null) {
        NovaLog.info(
            "the Nova agent already serves this JVM at "
                + agent
                + "; the library instance opens no listener");
        b.listen(false);
      }
      global = b.start();
      return global;
    }
  }

  /** The process-wide instance, if {@link #start()} or the agent started one. */
  public static Optional<Nova> current() {
    return Optional.ofNullable(global);
  }

  /** Builds an instance of its own (tests, several in one JVM, a custom clock or registry). */
  public static Builder builder() {
    return new Builder();
  }

  /** For the agent: the instance it starts becomes the process-wide one. */
  public static Nova startGlobal(Builder builder) {
    synchronized (GLOBAL_LOCK) {
      if (global != null) {
        return global;
      }
      global = builder.start();
      return global;
    }
  }

  private void begin(boolean listen) {
    for (ConfigProblem p : config.problems()) {
      NovaLog.warn("config: " + p + " (see the options table in the README)");
    }
    if (!config.enabled()) {
      listenerProblem = "Nova is disabled (enabled=false)";
      NovaLog.info(listenerProblem + ": no detectors, no listener");
      return;
    }
    heap.start();
    jfr.start(config.get(Options.JFR));
    leakCandidates.start(config.get(Options.JFR) && config.get(Options.JFR_OLD_OBJECTS));
    scheduler.start(config.detectInterval());
    for (String p : deps.problems()) {
      NovaLog.warn("config: " + p);
    }
    deps.start();
    if (!listen) {
      listenerProblem = "not listening: another Nova serves this JVM";
      return;
    }
    try {
      address =
          server.start(
              config.bind(),
              config.port(),
              config.get(Options.ADMIN_THREADS),
              config.portFile().orElse(null));
      registerShutdownHook();
      NovaLog.info(
          "Nova "
              + version()
              + " ("
              + mode
              + ") listening on http://"
              + hostForUrl(address)
              + ":"
              + address.getPort()
              + "/debug/nova"
              + (config.token().isPresent() ? "" : "; no token set, so actions answer 403"));
    } catch (IOException | RuntimeException e) {
      listenerProblem =
          "cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage();
      NovaLog.warn(
          listenerProblem
              + "; the host goes on without Nova's listener (options port, bind; port=0 picks a"
              + " free port)");
    }
  }

  /**
   * An open JDK HTTP server delays the JVM's exit by a few hundred milliseconds; closing it in a
   * shutdown hook lets the host exit as fast as it would without Nova.
   */
  private void registerShutdownHook() {
    Thread hook =
        new Thread(
            () -> {
              try {
                server.close();
                scheduler.close();
              } catch (Throwable ignored) {
                // the JVM is going down: nothing to report to
              }
            },
            "nova-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      shutdownHook = hook;
    } catch (IllegalStateException | SecurityException e) {
      // already shutting down, or not allowed: the JVM still exits, only a little later
    }
  }

  private static String hostForUrl(InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return h.contains(":") ? "[" + h + "]" : h;
  }

  /** Adds a detector; it runs from the next round on. */
  public void addDetector(Detector detector) {
    scheduler.register(detector);
  }

  /** Adds an area under {@code signals}. */
  public void addSignalSource(SignalSource source) {
    signals.add(Objects.requireNonNull(source));
  }

  /** Adds a remediation under {@code POST /debug/nova/actions/<name>}. */
  public void addAction(Action action) {
    actions.register(action);
  }

  /** Adds a member to the report's {@code agent} section (the agent's instrumentation state). */
  public void addAgentSection(String name, Supplier<Map<String, Object>> section) {
    synchronized (agentSections) {
      agentSections.put(name, section);
    }
  }

  /** The diagnosis now. Never throws: a signal that fails shows its error instead. */
  public Report report() {
    List<Finding> findings = scheduler.findings();
    Map<String, Object> signalMap = new LinkedHashMap<>();
    for (SignalSource s : signals) {
      try {
        Map<String, Object> snap = s.snapshot();
        if (snap != null) {
          signalMap.put(s.area(), snap);
        }
      } catch (Throwable t) {
        health.recordSuppressed("signal " + s.area(), t);
        signalMap.put(s.area(), Map.of("error", String.valueOf(t)));
      }
    }
    Map<String, Object> sections = new LinkedHashMap<>();
    sections.put("nova", novaSection());
    sections.put("config", configSection());
    sections.put("agent", agentSection());
    return new Report(clock.now(), findings, signalMap, sections);
  }

  private Map<String, Object> novaSection() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version());
    m.put("mode", mode);
    m.put("startedAt", startedAt.toString());
    InetSocketAddress a = address;
    m.put("listening", a == null ? null : hostForUrl(a) + ":" + a.getPort());
    if (listenerProblem != null) {
      m.put("listenerProblem", listenerProblem);
    }
    m.put("actionsEnabled", config.token().isPresent());
    m.put("selfProtection", selfProtection.snapshot());
    return m;
  }

  private Map<String, Object> configSection() {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<String, Object> effective = new LinkedHashMap<>();
    for (NovaConfig.Setting s : config.settings()) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("value", s.printed());
      v.put("source", s.source().label());
      effective.put(s.option().key(), v);
    }
    m.put("effective", effective);
    List<String> problems = new ArrayList<>();
    for (ConfigProblem p : config.problems()) {
      problems.add(p.toString());
    }
    m.put("problems", problems);
    m.put("ignoredEnvironment", config.ignoredEnvironment());
    return m;
  }

  private Map<String, Object> agentSection() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("errors", health.errors());
    m.put("suppressedErrors", health.suppressedErrors());
    m.put("transformErrors", health.transformErrors());
    m.put("detectorFailures", health.detectorFailures());
    m.put("recentErrors", health.recentErrors());
    List<Map<String, Object>> detectors = new ArrayList<>();
    for (DetectorScheduler.DetectorState s : scheduler.states()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("name", s.name());
      d.put("runs", s.runs());
      d.put("failures", s.failures());
      if (s.lastError() != null) {
        d.put("lastError", s.lastError());
      }
      detectors.add(d);
    }
    m.put("detectors", detectors);
    m.put("trackedObjects", health.trackedObjects());
    m.put("heapEstimateBytes", health.heapEstimateBytes());
    synchronized (agentSections) {
      agentSections.forEach(
          (k, v) -> {
            try {
              m.put(k, v.get());
            } catch (Throwable t) {
              health.recordSuppressed("agent section " + k, t);
              m.put(k, Map.of("error", String.valueOf(t)));
            }
          });
    }
    List<Map<String, Object>> recent = new ArrayList<>();
    for (AuditLog.Entry e : audit.recent()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("time", e.time().toString());
      a.put("caller", e.caller());
      a.put("token", e.token());
      a.put("action", e.action());
      a.put("params", e.params());
      a.put("status", e.status());
      a.put("outcome", e.outcome());
      recent.add(a);
    }
    m.put("audit", recent);
    return m;
  }

  private AdminApi api() {
    return new AdminApi() {
      @Override
      public Report report() {
        return Nova.this.report();
      }

      @Override
      public String scrape() {
        return prometheus.scrape();
      }

      @Override
      public List<Map<String, Object>> actions() {
        return actions.describe();
      }

      @Override
      public Map<String, Object> view(String name) {
        Supplier<Map<String, Object>> v = views.get(name);
        return v == null ? null : v.get();
      }

      @Override
      public ActionDispatcher.Outcome dispatch(
          String caller, String authorization, String action, Map<String, String> query) {
        return actions.dispatch(caller, authorization, action, query);
      }
    };
  }

  public NovaConfig config() {
    return config;
  }

  public NovaHealth health() {
    return health;
  }

  public DetectorScheduler scheduler() {
    return scheduler;
  }

  /** Where Nova's meters go: its own Prometheus registry, and the caller's when one was given. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /** The admin listener's bound address, or empty when it is not listening. */
  public Optional<InetSocketAddress> address() {
    return Optional.ofNullable(address);
  }

  public String mode() {
    return mode;
  }

  /** Nova's version, from the build. */
  public static String version() {
    try (InputStream in = Nova.class.getResourceAsStream("nova-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return "unknown";
  }

  /** Stops the listener and the detectors; the process-wide instance may be started again. */
  @Override
  public void close() {
    Thread hook = shutdownHook;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | SecurityException e) {
        // shutting down already: the hook does the closing
      }
      shutdownHook = null;
    }
    server.close();
    scheduler.close();
    heap.close();
    jfr.close();
    leakCandidates.close();
    JdbcBridge.uninstall(jdbc.tracker());
    NettyBridge.uninstall(http.sink());
    HttpServerBridge.uninstall(contextSink);
    deps.close();
    CacheBridge.uninstall(cacheSink);
    prometheus.close();
    if (registry != prometheus) {
      registry.close();
    }
    synchronized (GLOBAL_LOCK) {
      if (global == this) {
        global = null;
      }
    }
  }

  /** Options for one {@link Nova}. */
  public static final class Builder {
    private final Map<String, String> options = new LinkedHashMap<>();
    private NovaConfig config;
    private MeterRegistry registry;
    private NovaClock clock = NovaClock.SYSTEM;
    private NovaHealth health;
    private String mode = "library";
    private boolean listen = true;
    private final Map<String, Supplier<Map<String, Object>>> sections = new LinkedHashMap<>();

    private Builder() {}

    /** A member of the report's {@code agent} section, there from the first report on. */
    public Builder agentSection(String name, Supplier<Map<String, Object>> section) {
      sections.put(name, section);
      return this;
    }

    /** One option, as in the README's table ({@code "port", "0"}). */
    public Builder option(String key, String value) {
      options.put(key, value);
      return this;
    }

    public Builder options(Map<String, String> values) {
      options.putAll(values);
      return this;
    }

    /** A configuration parsed elsewhere (the agent parses its argument itself). */
    public Builder config(NovaConfig config) {
      this.config = config;
      return this;
    }

    /** The service's own registry: Nova's meters go there too, and still to /metrics. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder clock(NovaClock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Where errors are counted; the agent hands in the one its instrumentation already uses. */
    public Builder health(NovaHealth health) {
      this.health = health;
      return this;
    }

    /** {@code library} or {@code agent}, as the report shows it. */
    public Builder mode(String mode) {
      this.mode = mode;
      return this;
    }

    /** False starts without the admin listener. */
    public Builder listen(boolean listen) {
      this.listen = listen;
      return this;
    }

    /** Starts detectors and, unless told otherwise, the admin listener. */
    public Nova start() {
      Nova n = new Nova(this);
      n.begin(listen);
      return n;
    }
  }
}

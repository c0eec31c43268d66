package dev.nova.core;

import dev.nova.core.area.Area;
import dev.nova.core.autopilot.AutopilotArea;
import dev.nova.core.cache.CacheArea;
import dev.nova.core.cache.CacheRegistry;
import dev.nova.core.config.ConfigProblem;
import dev.nova.core.config.NovaConfig;
import dev.nova.core.config.Options;
import dev.nova.core.cpu.CpuArea;
import dev.nova.core.deploy.DeployArea;
import dev.nova.core.deps.DepsArea;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.DetectorScheduler;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.endpoint.AdminApi;
import dev.nova.core.endpoint.AdminListener;
import dev.nova.core.endpoint.TextReport;
import dev.nova.core.finding.Report;
import dev.nova.core.fleet.FleetArea;
import dev.nova.core.grpc.GrpcArea;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.heap.HeapArea;
import dev.nova.core.history.HistoryArea;
import dev.nova.core.http.HttpArea;
import dev.nova.core.http.NovaHttp;
import dev.nova.core.incident.IncidentArea;
import dev.nova.core.incident.IncidentSources;
import dev.nova.core.jdbc.JdbcArea;
import dev.nova.core.jdbc.NovaJdbc;
import dev.nova.core.jvm.JvmArea;
import dev.nova.core.metrics.MetricsArea;
import dev.nova.core.protection.NovaCpu;
import dev.nova.core.protection.SelfProtection;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionDispatcher;
import dev.nova.core.remediation.AuditLog;
import dev.nova.core.remediation.TokenAuth;
import dev.nova.core.report.AgentSection;
import dev.nova.core.report.ConfigSection;
import dev.nova.core.report.NovaSection;
import dev.nova.core.threads.ExecutorRegistry;
import dev.nova.core.threads.ThreadsArea;
import dev.nova.core.util.Json;
import dev.nova.core.util.NovaLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
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

  /**
   * Set by the agent in {@code premain}, before the application's {@code main}, to its mode: how a
   * library in the same JVM (the Spring Boot starter) knows at once that the agent serves it.
   */
  public static final String AGENT_INSTALLED_PROPERTY = "dev.nova.agent.installed";

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
  private final SelfProtection selfProtection;
  private final NovaCpu novaCpu;
  private final FleetArea fleet;
  private final IncidentArea incidents;
  private final MetricsArea metrics;
  private final Composition composition;
  private final AgentSection agentSection;
  private final AdminListener listener;
  private final JdbcArea jdbc = new JdbcArea();
  private final HttpArea http = new HttpArea();
  private final CacheArea caches = new CacheArea();
  private final ThreadsArea threads;

  private Nova(Builder b) {
    this.config = b.config != null ? b.config : NovaConfig.fromCode(b.options);
    this.mode = b.mode;
    this.clock = b.clock;
    this.health = b.health != null ? b.health : new NovaHealth();
    this.startedAt = clock.now();
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.registry = b.registry == null ? prometheus : composite(prometheus, b.registry);
    this.scheduler = new DetectorScheduler(clock, health);
    AuditLog audit = new AuditLog();
    ActionDispatcher actions =
        new ActionDispatcher(
            new TokenAuth(config.token().orElse(null)),
            config.get(Options.ACTIONS_PER_MINUTE),
            config.get(Options.ACTIONS_CONCURRENCY),
            audit,
            health,
            clock);
    JvmArea jvm = new JvmArea();
    HeapArea heap = new HeapArea(jvm);
    this.threads = new ThreadsArea(jvm);
    this.selfProtection = new SelfProtection(heap::liveShare, SelfProtection.jvmCpuLoad(), health);
    this.novaCpu = new NovaCpu(clock, health, config.get(Options.AGENT_CPU_BUDGET));
    selfProtection.watchOwnCpu(novaCpu);
    novaCpu.countJfrWhile(() -> jvm.jfr() != null && jvm.jfr().running());
    this.composition =
        new Composition(
            config, clock, health, registry, prometheus, scheduler, actions, selfProtection);
    health.bindTo(registry);
    actions.bindTo(registry);
    selfProtection.bindTo(registry);
    scheduler.register(selfProtection);
    // The areas, in the order their signals appear in the report; the service's own come last.
    List<Area> areas =
        new ArrayList<>(
            List.of(
                jvm,
                threads,
                heap,
                new CpuArea(jvm),
                jdbc,
                http,
                new GrpcArea(),
                new DepsArea(() -> jdbc.jdbc().tracker().databaseTargets()),
                caches));
    DeployArea deploy = new DeployArea();
    this.metrics =
        new MetricsArea(
            // the HTTP area is installed first (areas install in the order listed)
            (routes, watch) -> http.http().tracker().watch(routes, watch::answered), b.registry);
    this.incidents = new IncidentArea(version(), () -> incidentSources(deploy));
    AutopilotArea autopilot = new AutopilotArea();
    this.fleet =
        new FleetArea(
            version(),
            mode,
            this::reportUrl,
            () -> deploy.version() == null ? "unknown" : deploy.version().value(),
            incidents::bundleFor,
            autopilot::noteFor);
    areas.addAll(b.areas);
    areas.add(deploy);
    areas.add(metrics);
    areas.add(new HistoryArea());
    areas.add(incidents); // before the fleet: a raise's log line and alert name its bundle
    areas.add(autopilot); // after every detector's area: it acts on what they found
    areas.add(fleet); // last: it reads what every other area's detectors found
    composition.install(areas);
    this.agentSection = new AgentSection(health, scheduler, audit, composition.areas());
    agentSection.add("cpu", novaCpu::snapshot);
    agentSection.add("alertmanager", fleet::alertmanager);
    b.sections.forEach(agentSection::add);
    this.listener = new AdminListener(api(actions), health, registry, scheduler::close);
    health.track("audit-entries", () -> audit.recent().size(), 256);
    health.track("meters", () -> registry.getMeters().size(), 512);
  }

  private static MeterRegistry composite(MeterRegistry ours, MeterRegistry theirs) {
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    composite.add(ours);
    composite.add(theirs);
    return composite;
  }

  /**
   * HTTP and WebSocket in library mode: {@code nova.http().observe(context)} for a JDK server
   * context, {@code NovaNettyHandler.of(nova)} in a Netty pipeline.
   */
  public NovaHttp http() {
    return http.http();
  }

  /**
   * The caches {@code cache-trim} works on: register your own here ({@code register}, or {@code
   * registerMap} for a map); Caffeine caches are found by the agent, or registered with {@code
   * registerCaffeine}.
   */
  public CacheRegistry caches() {
    return caches.caches();
  }

  /**
   * The thread pools {@code EXECUTOR_SATURATED} watches: {@code nova.executors().register("jobs",
   * pool)} for a {@code ThreadPoolExecutor} of the service's.
   */
  public ExecutorRegistry executors() {
    return threads.executors();
  }

  /** JDBC in library mode: wrap a data source, register a pool, read the tracker. */
  public NovaJdbc jdbc() {
    return jdbc.jdbc();
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

  private void begin(boolean listen, String notListening) {
    for (ConfigProblem p : config.problems()) {
      NovaLog.warn("config: " + p + " (see the options table in the README)");
    }
    if (!config.enabled()) {
      listener.absent("Nova is disabled (enabled=false)");
      NovaLog.info("Nova is disabled (enabled=false): no detectors, no listener");
      return;
    }
    if ("library".equals(mode) && global == null && NovaLog.useSlf4j(Nova.class.getClassLoader())) {
      NovaLog.info("finding and audit lines go through SLF4J (dev.nova.findings, dev.nova.audit)");
    }
    composition.start();
    if (listen) {
      listener.start(config, "Nova " + version() + " (" + mode + ")");
    } else {
      listener.absent("not listening: " + notListening);
    }
  }

  private String reportUrl() {
    AdminListener l = listener;
    String at = l == null ? null : l.listening();
    return at == null ? null : "http://" + at + "/debug/nova";
  }

  /** Adds a detector; it runs from the next round on. */
  public void addDetector(Detector detector) {
    composition.detector(detector);
  }

  /** Adds an area under {@code signals}. */
  public void addSignalSource(SignalSource source) {
    composition.signal(source);
  }

  /** Adds a remediation under {@code POST /debug/nova/actions/<name>}. */
  public void addAction(Action action) {
    composition.action(action);
  }

  /** Adds a named view under {@code GET /debug/nova/<name>}. */
  public void addView(String name, Supplier<Map<String, Object>> view) {
    composition.view(name, view);
  }

  /** Adds a member to the report's {@code agent} section (the agent's instrumentation state). */
  public void addAgentSection(String name, Supplier<Map<String, Object>> section) {
    agentSection.add(name, section);
  }

  /** The diagnosis now. Never throws: a signal that fails shows its error instead. */
  public Report report() {
    Map<String, Object> sections = new LinkedHashMap<>();
    sections.put(
        "nova",
        new NovaSection(
                version(),
                mode,
                startedAt,
                listener.listening(),
                listener.problem(),
                config.token().isPresent(),
                selfProtection.snapshot())
            .render());
    sections.put("config", ConfigSection.render(config));
    sections.put("agent", agentSection.render());
    sections.putAll(composition.sections());
    return new Report(
        clock.now(), composition.decorated(scheduler.findings()), composition.signals(), sections);
  }

  private IncidentSources incidentSources(DeployArea deploy) {
    return new IncidentSources() {
      @Override
      public Report report() {
        return Nova.this.report();
      }

      @Override
      public byte[] json(Report report) {
        return Json.render(Json.shape(report));
      }

      @Override
      public String text(Report report) {
        return TextReport.render(report);
      }

      @Override
      public String metrics() {
        return prometheus.scrape();
      }

      @Override
      public Map<String, Object> view(String name) {
        return composition.renderView(name);
      }

      @Override
      public String serviceVersion() {
        return deploy.version() == null ? "unknown" : deploy.version().value();
      }
    };
  }

  private AdminApi api(ActionDispatcher actions) {
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
      public String scrape(String caller) {
        String body = prometheus.scrape();
        metrics.scraped(caller, body.length());
        return body;
      }

      @Override
      public List<Map<String, Object>> actions() {
        return actions.describe();
      }

      @Override
      public Map<String, Object> view(String name) {
        return composition.renderView(name);
      }

      @Override
      public java.nio.file.Path incident(String name) {
        return incidents.file(name);
      }

      @Override
      public ActionDispatcher.Outcome gate(String caller, String authorization, String what) {
        return actions.gate(caller, authorization, what);
      }

      @Override
      public ActionDispatcher.Outcome dispatch(
          String caller, String authorization, String action, Map<String, String> query) {
        return actions.dispatch(caller, authorization, action, query);
      }
    };
  }

  /**
   * Runs an action for a caller the embedding framework has already admitted (Spring Boot's
   * Actuator, behind the application's own security): no bearer token and no share of the admin
   * listener's per-minute budget ({@code actions.perMinute}: that framework rate-limits its own
   * callers), but the same parameter checks, one-at-a-time and concurrency limits, counting and
   * audit line (under {@code caller}) as a POST to the admin listener.
   */
  public ActionDispatcher.Outcome act(String caller, String action, Map<String, String> params) {
    return composition.act(caller, action, params);
  }

  /** The report as {@code GET /debug/nova} answers it: JSON, or the text a person reads. */
  public byte[] reportJson() {
    return Json.render(Json.shape(report()));
  }

  /** The report as {@code GET /debug/nova?format=text} answers it. */
  public String reportText() {
    return TextReport.render(report());
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

  /** For tests in this package: what sheds Nova's optional work. */
  SelfProtection selfProtection() {
    return selfProtection;
  }

  /** Where Nova's meters go: its own Prometheus registry, and the caller's when one was given. */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  /** The admin listener's bound address, or empty when it is not listening. */
  public Optional<InetSocketAddress> address() {
    return Optional.ofNullable(listener.address());
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

  /**
   * Stops the listener, the detectors and every area; the process-wide instance may start again.
   */
  @Override
  public void close() {
    if ("library".equals(mode) && (global == null || global == this)) {
      NovaLog.useStderr();
    }
    listener.close();
    composition.close();
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
    private String notListening = "another Nova serves this JVM";
    private final Map<String, Supplier<Map<String, Object>>> sections = new LinkedHashMap<>();
    private final List<Area> areas = new ArrayList<>();

    private Builder() {}

    /**
     * An area of the service's own, installed after Nova's: it registers its detectors, signals,
     * actions and views through the {@link dev.nova.core.area.Wiring} it is handed.
     */
    public Builder area(Area area) {
      areas.add(Objects.requireNonNull(area));
      return this;
    }

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

    /**
     * No admin listener, and why, as the report's {@code nova.listenerProblem} says it (the Spring
     * Boot starter: Actuator is the surface).
     */
    public Builder noListener(String why) {
      this.listen = false;
      this.notListening = why;
      return this;
    }

    /** Starts detectors and, unless told otherwise, the admin listener. */
    public Nova start() {
      Nova n = new Nova(this);
      n.begin(listen, notListening);
      return n;
    }
  }
}

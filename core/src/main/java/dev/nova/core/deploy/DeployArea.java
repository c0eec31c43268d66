package dev.nova.core.deploy;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.util.NovaLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployments (the runbook's "High error rate after deployment"): which version runs ({@link
 * ServiceVersion}), and {@code DEPLOY_REGRESSION} in the process where a directory outlives it
 * ({@code state.dir}): each version's last run is kept there ({@link DeployState}, every {@link
 * #SAVE_EVERY} while its figures change); when a new version starts and, within {@code
 * deploy.window}, its 5xx share passes the runbook's bands (MEDIUM 1-5%, HIGH over 5%) while the
 * previous version's was under 0.1%, or its p95 more than doubles (MEDIUM), Nova says so, with both
 * versions, when each started, before and after, and the routes that got worse. The remedy is
 * outside the JVM: roll back, fix forward or canary.
 */
public final class DeployArea implements Area {
  static final Duration SAVE_EVERY = Duration.ofSeconds(5);
  static final double CLEAN = 0.001;

  private volatile ServiceVersion version;

  @Override
  public String name() {
    return "deploy";
  }

  /** The running version; there once installed. */
  public ServiceVersion version() {
    return version;
  }

  @Override
  public void install(Wiring w) {
    ServiceVersion v = ServiceVersion.detect(w.config().get(Options.SERVICE_VERSION));
    version = v;
    String dirOption = w.config().get(Options.STATE_DIR);
    Path dir =
        dirOption == null || dirOption.isBlank()
            ? Path.of(System.getProperty("java.io.tmpdir", "/tmp"), "nova-state")
            : "none".equals(dirOption.trim()) ? null : Path.of(dirOption.trim());
    Tracker t =
        new Tracker(
            v,
            dir,
            w.ownRegistry(), // figures read back: Nova's registry, not a composite's first child
            w.clock(),
            w.config().get(Options.DEPLOY_WINDOW),
            w.config().get(Options.HTTP_MIN_REQUESTS));
    w.onStart(t::start);
    w.detector(t);
    w.signal(SignalSource.of("deploy", t::snapshot));
    w.onClose(t::save);
  }

  private static final class Tracker implements Detector {
    private final ServiceVersion version;
    private final Path dir;
    private final MeterRegistry registry;
    private final NovaClock clock;
    private final Duration window;
    private final int minRequests;
    private final Instant started;
    private final long startedNanos;
    private volatile DeployState state;
    private volatile String problem;
    private volatile List<DeployState.Run> others = List.of();
    private volatile DeployState.Run previous;
    private long lastSave = Long.MIN_VALUE;
    private long savedRequests = -1;

    Tracker(
        ServiceVersion version,
        Path dir,
        MeterRegistry registry,
        NovaClock clock,
        Duration window,
        int minRequests) {
      this.version = version;
      this.dir = dir;
      this.registry = registry;
      this.clock = clock;
      this.window = window;
      this.minRequests = minRequests;
      this.started = clock.now();
      this.startedNanos = clock.nanoTime();
    }

    void start() {
      if (dir == null) {
        problem = "off (state.dir=none)";
        return;
      }
      if (version.value().equals("unknown")) {
        problem = "off: the running version is unknown (set service.version)";
        return;
      }
      String p = DeployState.prepare(dir);
      if (p != null) {
        problem = p;
        NovaLog.warn(p);
        return;
      }
      DeployState s = new DeployState(dir, version.service());
      DeployState.Loaded loaded = s.load();
      if (loaded.problem() != null) {
        NovaLog.warn(loaded.problem());
        problem = loaded.problem();
      }
      others = loaded.runs();
      for (DeployState.Run r : loaded.runs()) {
        if (!r.version().equals(version.value())) {
          previous = r;
          break;
        }
      }
      state = s;
      save();
    }

    private DeployState.Run current() {
      long runSeconds = (clock.nanoTime() - startedNanos) / 1_000_000_000L;
      return HttpFigures.read(registry, version.value(), started, runSeconds);
    }

    synchronized void save() {
      DeployState s = state;
      if (s == null) {
        return;
      }
      try {
        DeployState.Run now = current();
        s.save(now, others);
        savedRequests = now.requests();
        lastSave = clock.nanoTime();
      } catch (Exception e) {
        problem = "could not write " + s.file() + " (" + e.getMessage() + ")";
      }
    }

    @Override
    public String name() {
      return "deploy-regression";
    }

    @Override
    public List<Finding> evaluate(NovaClock c) {
      long now = c.nanoTime();
      DeployState.Run cur = current();
      if (state != null
          && cur.requests() != savedRequests
          && (lastSave == Long.MIN_VALUE || now - lastSave >= SAVE_EVERY.toNanos())) {
        save();
      }
      DeployState.Run prev = previous;
      if (prev == null
          || now - startedNanos > window.toNanos()
          || cur.requests() < minRequests
          || prev.requests() < minRequests) {
        return List.of();
      }
      double share = cur.errorShare();
      boolean errorsWorse = prev.errorShare() < CLEAN && share > 0.01;
      boolean slower = prev.p95Ms() > 0 && cur.p95Ms() > 2 * prev.p95Ms();
      if (!errorsWorse && !slower) {
        return List.of();
      }
      Severity sev = errorsWorse && share > 0.05 ? Severity.HIGH : Severity.MEDIUM;
      List<Evidence> worse = new ArrayList<>();
      for (DeployState.Route r : cur.routes()) {
        DeployState.Route before = null;
        for (DeployState.Route b : prev.routes()) {
          if (b.route().equals(r.route())) {
            before = b;
          }
        }
        double beforeShare = before == null ? 0 : before.errorShare();
        double beforeP95 = before == null ? 0 : before.p95Ms();
        if (r.errorShare() > beforeShare + 0.01 || (beforeP95 > 0 && r.p95Ms() > 2 * beforeP95)) {
          worse.add(
              Evidence.builder()
                  .put("route", r.route())
                  .put("requests", r.requests())
                  .put("errorShare", round(r.errorShare()))
                  .put(
                      "errorShareBefore",
                      before == null ? "(not seen)" : String.valueOf(round(beforeShare)))
                  .put("p95Ms", r.p95Ms())
                  .put("p95MsBefore", before == null ? "(not seen)" : String.valueOf(beforeP95))
                  .build());
        }
      }
      long minutes = (now - startedNanos) / 60_000_000_000L;
      String what =
          errorsWorse
              ? String.format(
                  "5xx share %.1f%% since %s started, against %.2f%% for %s",
                  share * 100, cur.version(), prev.errorShare() * 100, prev.version())
              : String.format(
                  "p95 %.0f ms since %s started, against %.0f ms for %s",
                  cur.p95Ms(), cur.version(), prev.p95Ms(), prev.version());
      return List.of(
          new Finding(
              FindingCode.DEPLOY_REGRESSION,
              sev,
              what + ": roll back, fix forward or canary (outside the JVM)",
              Evidence.builder()
                  .put("version", cur.version())
                  .put("versionStartedAt", cur.startedAt().toString())
                  .put("minutesSinceStart", minutes)
                  .put("previousVersion", prev.version())
                  .put("previousStartedAt", prev.startedAt().toString())
                  .put("previousRanSeconds", prev.runSeconds())
                  .put("errorShare", round(share))
                  .put("errorShareBefore", round(prev.errorShare()))
                  .put("requests", cur.requests())
                  .put("requestsBefore", prev.requests())
                  .put("p95Ms", cur.p95Ms())
                  .put("p95MsBefore", prev.p95Ms())
                  .list("routesWorse", worse)
                  .put("windowMinutes", window.toMinutes())
                  .build(),
              List.of()));
    }

    private static double round(double v) {
      return Math.round(v * 10000) / 10000.0;
    }

    Map<String, Object> snapshot() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", version.value());
      m.put("versionFrom", version.source());
      m.put("service", version.service());
      m.put("startedAt", started.toString());
      DeployState s = state;
      m.put("stateFile", s == null ? null : s.file().toString());
      if (problem != null) {
        m.put("stateProblem", problem);
      }
      DeployState.Run p = previous;
      if (p != null) {
        m.put("previousVersion", p.version());
        m.put("previousStartedAt", p.startedAt().toString());
        m.put("previousErrorShare", round(p.errorShare()));
        m.put("previousP95Ms", p.p95Ms());
      }
      m.put("deployWindowMinutes", window.toMinutes());
      return m;
    }
  }
}

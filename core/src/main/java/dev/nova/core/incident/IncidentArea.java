package dev.nova.core.incident;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionException;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.remediation.Param;
import dev.nova.core.util.NovaLog;
import dev.nova.core.util.PrivateDir;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Incident bundles: what the on-call needs for the post-mortem, written the moment a finding first
 * reaches {@code incident.on} (CRITICAL by default), before a restart takes the evidence away.
 *
 * <p>The detector thread only decides and names a bundle; a thread of Nova's own ({@code
 * nova-incident}) writes it. One bundle per finding as it is raised: a code that stays raised
 * writes none again, nor does one that comes back within {@link #CODE_QUIET}; the findings that
 * reach the severity in one round share one bundle, and those that follow within {@link
 * #STORM_QUIET} of an automatic bundle are counted as covered by it, so a storm writes few. A
 * directory that cannot be written, a full disk or a busy writer is counted, shown under {@code
 * signals.incidents} and never reaches the host.
 */
public final class IncidentArea implements Area {
  /** A code that raised a bundle writes none again for this long (a flapping finding). */
  static final Duration CODE_QUIET = Duration.ofMinutes(15);

  /** After an automatic bundle, new triggers within this long are covered by it (a storm). */
  static final Duration STORM_QUIET = Duration.ofMinutes(1);

  /** The recording starts this long after {@code jfr.delay} however busy the JVM is. */
  static final Duration START_AT_LATEST = Duration.ofMinutes(5);

  /** How long an on-demand bundle may take before the action answers 503. */
  static final Duration ACTION_WAIT = Duration.ofSeconds(60);

  private final String novaVersion;
  private final java.util.function.Supplier<IncidentSources> sources;
  private final Map<String, String> bundleOf = new ConcurrentHashMap<>(); // raised code -> bundle
  private final Map<String, Written> lastBundle = new LinkedHashMap<>(); // code -> its last

  private record Written(String name, long at) {}

  private final ArrayDeque<Map<String, Object>> recent = new ArrayDeque<>();
  private final LongAdder written = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder covered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private volatile String problem;
  private Severity threshold;
  private IncidentStore store;
  private RollingRecording recording;
  private ThreadPoolExecutor writer;
  private NovaHealth health;
  private long stormUntil = Long.MIN_VALUE;
  private long retryAfter = Long.MIN_VALUE;
  private volatile String lastFailed;
  private String stormBundle;
  private long startAt;
  private long startedNanos;
  private dev.nova.core.diagnosis.NovaClock clock;

  /** {@code sources}: read when a bundle is written (Nova's report, views and scrape). */
  public IncidentArea(String novaVersion, java.util.function.Supplier<IncidentSources> sources) {
    this.novaVersion = novaVersion;
    this.sources = sources;
  }

  @Override
  public String name() {
    return "incidents";
  }

  @Override
  public void install(Wiring w) {
    this.health = w.health();
    this.clock = w.clock();
    String on = w.config().get(Options.INCIDENT_ON);
    threshold = "none".equals(on) ? null : Severity.valueOf(on.toUpperCase(java.util.Locale.ROOT));
    store = new IncidentStore(directory(w), w.config().get(Options.INCIDENT_KEEP));
    recording =
        new RollingRecording(
            w.config().get(Options.INCIDENT_RECORDING), w.config().get(Options.JFR), health);
    w.action(new IncidentAction());
    w.view("incidents", this::view);
    w.signal(SignalSource.of("incidents", this::snapshot));
    health.track("incident-codes", bundleOf::size, 256);
    w.onStart(
        () -> {
          writer = executor();
          long delay = w.config().get(Options.JFR_DELAY).toNanos();
          startedNanos = clock.nanoTime();
          startAt = startedNanos + delay;
          if (recording.wanted() && delay == 0) {
            submit(recording::start);
          }
        });
    w.onFindings(this::round);
    w.onClose(
        () -> {
          ThreadPoolExecutor ex = writer;
          if (ex != null) {
            ex.shutdown();
            ex.awaitTermination(10, TimeUnit.SECONDS);
          }
          recording.close();
        });
  }

  private static Path directory(Wiring w) {
    String dir = w.config().get(Options.INCIDENT_DIR);
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir.trim()).toAbsolutePath();
    }
    String state = w.config().get(Options.STATE_DIR);
    Path tmp = Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
    if (state == null || state.isBlank()) {
      return tmp.resolve("nova-state").resolve("incidents").toAbsolutePath();
    }
    return "none".equals(state.trim())
        ? tmp.resolve("nova-incidents").toAbsolutePath()
        : Path.of(state.trim()).resolve("incidents").toAbsolutePath();
  }

  private static ThreadPoolExecutor executor() {
    ThreadPoolExecutor ex =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4),
            r -> {
              Thread t = new Thread(r, "nova-incident");
              t.setDaemon(true);
              t.setPriority(Thread.NORM_PRIORITY - 1);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    return ex; // its one thread parks between bundles: it costs nothing idle
  }

  private Future<?> submit(Runnable r) {
    ThreadPoolExecutor ex = writer;
    if (ex == null) {
      throw new RejectedExecutionException("Nova has not started");
    }
    return ex.submit(
        () -> {
          try {
            r.run();
          } catch (Throwable t) {
            health.recordSuppressed("incident writer", t);
          }
        });
  }

  /** The bundle written for a code while it stays raised, for the log line and the alert. */
  public String bundleFor(String code) {
    return bundleOf.get(code);
  }

  /** Each detector round, on the detector thread: decides and names, never writes. */
  void round(List<Finding> findings) {
    long now = clock.nanoTime();
    if (recording.wanted() && now - startAt >= 0 && writer != null && calm(now)) {
      try {
        submit(recording::start);
      } catch (RejectedExecutionException e) {
        // the next round tries again
      }
    } else {
      recording.refresh();
    }
    if (threshold == null) {
      return;
    }
    String lost = lastFailed;
    if (lost != null) {
      // a bundle that could not be written names nothing, and the next try waits a storm's quiet
      lastFailed = null;
      lastBundle.values().removeIf(w -> w.name().equals(lost));
      bundleOf.values().removeIf(lost::equals); // a code the storm's bundle covered, too
      if (lost.equals(stormBundle)) {
        stormBundle = null;
      }
      retryAfter = now + STORM_QUIET.toNanos();
    }
    Map<String, Finding> worst = new LinkedHashMap<>();
    for (Finding f : findings) {
      if (f.severity() == threshold || f.severity().isAbove(threshold)) {
        Finding had = worst.get(f.code());
        if (had == null || f.severity().isAbove(had.severity())) {
          worst.put(f.code(), f);
        }
      }
    }
    bundleOf.keySet().retainAll(worst.keySet()); // a code that cleared (or fell below) is over
    if (now < retryAfter) {
      return;
    }
    List<Finding> triggers = new ArrayList<>();
    for (Finding f : worst.values()) {
      if (bundleOf.containsKey(f.code())) {
        continue; // still raised: its bundle is written
      }
      Written last = lastBundle.get(f.code());
      if (last != null && now - last.at() < CODE_QUIET.toNanos()) {
        bundleOf.put(f.code(), last.name()); // back soon after its bundle: that one tells it
        covered.increment();
        continue;
      }
      triggers.add(f);
    }
    if (triggers.isEmpty()) {
      return;
    }
    triggers.sort(Comparator.comparing(Finding::severity)); // most severe first
    String name;
    if (stormBundle != null && now < stormUntil) {
      name = stormBundle;
      covered.add(triggers.size());
      for (Finding f : triggers) {
        bundleOf.put(f.code(), name);
      }
    } else {
      name = store.newName(clock.now(), triggers.get(0).code());
      // named before the writer runs: a write that fails at once takes its names away again
      // (failed(), on the writer's thread), which it could not do to names put after it
      for (Finding f : triggers) {
        bundleOf.put(f.code(), name);
      }
      if (!write(name, new IncidentBundle.Trigger("finding", triggers, clock.now()))) {
        bundleOf.values().removeIf(name::equals);
        return; // not written: the next round tries again
      }
      stormBundle = name;
      stormUntil = now + STORM_QUIET.toNanos();
    }
    for (Finding f : triggers) {
      lastBundle.put(f.code(), new Written(name, now));
    }
    if (lastBundle.size() > 256) {
      lastBundle.remove(lastBundle.keySet().iterator().next());
    }
  }

  /**
   * Whether the recording may start now, past {@code jfr.delay}: JFR's start retransforms a few JDK
   * classes (its I/O and exception events) and makes a loaded server recompile them, which cost
   * Netty's hello world under saturating load x0.64 of bare against x0.79 without the recording in
   * the ten seconds after it (docs/performance.md), so it waits for a round where the JVM uses less
   * than half of its CPUs, and for {@link #START_AT_LATEST} at most.
   */
  private boolean calm(long now) {
    if (startAt == startedNanos || now - startAt >= START_AT_LATEST.toNanos()) {
      return true; // jfr.delay=0s: at once, as asked
    }
    double load = dev.nova.core.util.Cpu.processLoad();
    return load >= 0 && load < 0.5;
  }

  /** Queues a bundle; false when the writer is busy or down (counted). */
  private boolean write(String name, IncidentBundle.Trigger trigger) {
    try {
      submit(() -> writeNow(name, trigger));
      return true;
    } catch (RejectedExecutionException e) {
      dropped.increment();
      problem = "the writer was busy; a bundle was not written (" + trigger.cause() + ")";
      return false;
    }
  }

  /** On {@code nova-incident}: writes, prunes and says so; never throws. */
  private Map<String, Object> writeNow(String name, IncidentBundle.Trigger trigger) {
    long started = System.nanoTime();
    try {
      store.prepare();
      long free = store.freeBytes();
      if (free >= 0 && free < IncidentStore.MIN_FREE_BYTES + RollingRecording.MAX_BYTES) {
        throw new java.io.IOException(
            "only "
                + free / (1024 * 1024)
                + " MiB free in "
                + store.dir()
                + "; a bundle needs "
                + (IncidentStore.MIN_FREE_BYTES + RollingRecording.MAX_BYTES) / (1024 * 1024)
                + " MiB free");
      }
      // known before the bundle appears, so that a listing never reads its manifest back
      store.remember(
          name,
          trigger.findings().isEmpty() ? "none" : trigger.findings().get(0).severity().name());
      Map<String, Object> manifest =
          IncidentBundle.write(store, name, trigger, sources.get(), recording, novaVersion);
      List<String> pruned = store.prune();
      written.increment();
      problem = null;
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("name", name);
      done.put("cause", trigger.cause());
      done.put("time", trigger.at().toString());
      done.put("durationMs", (System.nanoTime() - started) / 1_000_000);
      synchronized (recent) {
        recent.addFirst(done);
        while (recent.size() > 8) {
          recent.removeLast();
        }
      }
      NovaLog.line(
          NovaLog.FINDINGS,
          false,
          "incident bundle "
              + name
              + " written in "
              + store.dir()
              + (pruned.isEmpty() ? "" : "; deleted the oldest: " + String.join(", ", pruned)));
      Map<String, Object> out = new LinkedHashMap<>(manifest);
      out.put("deleted", pruned);
      return out;
    } catch (PrivateDir.Refused e) {
      return failed(name, e.getMessage());
    } catch (java.io.IOException | RuntimeException e) {
      return failed(name, "could not write " + name + " in " + store.dir() + ": " + e);
    }
  }

  private Map<String, Object> failed(String name, String why) {
    failed.increment();
    problem = why;
    bundleOf.values().removeIf(name::equals); // no log line or alert names a bundle not there
    lastFailed = name;
    NovaLog.warn("incident bundle not written: " + why);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("error", why);
    return m;
  }

  /** {@code GET /debug/nova/incidents}. */
  private Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("incidents", store.list());
    m.put("dir", store.dir().toString());
    m.put("download", "GET /debug/nova/incidents/<name> with Authorization: Bearer <token>");
    return m;
  }

  /** The report's {@code signals.incidents}. */
  private Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("on", threshold == null ? "none" : threshold.name());
    m.put("dir", store.dir().toString());
    m.put("recording", recording.status());
    m.put("recordingWindow", recording.window().isZero() ? "none" : recording.window().toString());
    m.put("written", written.sum());
    m.put("failed", failed.sum());
    m.put("covered", covered.sum());
    m.put("dropped", dropped.sum());
    if (problem != null) {
      m.put("problem", problem);
    }
    synchronized (recent) {
      m.put("recent", new ArrayList<>(recent));
    }
    Map<String, String> raised = new LinkedHashMap<>(bundleOf);
    m.put("raised", raised);
    return m;
  }

  /** The bundle's file for {@code GET /debug/nova/incidents/<name>}, or null when none is. */
  public Path file(String name) {
    return store == null ? null : store.file(name);
  }

  /** {@code incident}: writes a bundle now and answers its name. */
  private final class IncidentAction implements Action {
    @Override
    public String name() {
      return ActionNames.INCIDENT;
    }

    @Override
    public String description() {
      return "writes an incident bundle now (what a CRITICAL finding writes by itself) and"
          + " answers its name";
    }

    @Override
    public List<Param<?>> params() {
      return List.of();
    }

    @Override
    public Map<String, Object> run(ActionRequest r) throws ActionException {
      Instant at = clock.now();
      List<Finding> raised = new ArrayList<>(sources.get().report().findings());
      raised.sort(Comparator.comparing(Finding::severity));
      String code = raised.isEmpty() ? "ON_DEMAND" : raised.get(0).code();
      String name = r.dryRun() ? store.nameFor(at, code) : store.newName(at, code);
      if (r.dryRun()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("dir", store.dir().toString());
        m.put("files", IncidentBundle.FILES);
        m.put("recording", recording.status());
        m.put("freeBytes", store.freeBytes());
        return m;
      }
      Future<?> f;
      Map<String, Object>[] result = newResult();
      try {
        f =
            submit(
                () -> result[0] = writeNow(name, new IncidentBundle.Trigger("action", raised, at)));
      } catch (RejectedExecutionException e) {
        throw new ActionException(429, "the incident writer is busy; try again shortly");
      }
      try {
        f.get(ACTION_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new ActionException(503, "the bundle " + name + " is still being written");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ActionException(503, "interrupted while writing " + name);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new ActionException(503, "could not write " + name + ": " + e.getCause());
      }
      Map<String, Object> m = result[0];
      if (m == null || m.containsKey("error")) {
        throw new ActionException(
            507, m == null ? "the bundle was not written" : String.valueOf(m.get("error")));
      }
      return m;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object>[] newResult() {
      return new Map[1];
    }
  }
}

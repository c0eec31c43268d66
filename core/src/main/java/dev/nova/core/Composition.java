package dev.nova.core;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.NovaConfig;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.DetectorScheduler;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.protection.SelfProtection;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionDispatcher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The {@link Wiring} of one {@link Nova}: where its areas' detectors, signals, actions, views,
 * start hooks and resources go, and what starts, renders and closes them.
 */
final class Composition implements Wiring {
  private final NovaConfig config;
  private final NovaClock clock;
  private final NovaHealth health;
  private final MeterRegistry registry;
  private final MeterRegistry ownRegistry;
  private final Duration hold;
  private final DetectorScheduler scheduler;
  private final ActionDispatcher actions;
  private final SelfProtection selfProtection;
  private final List<String> areas = new ArrayList<>();
  private final List<SignalSource> signals = new CopyOnWriteArrayList<>();
  private final Map<String, Supplier<Map<String, Object>>> views = new ConcurrentHashMap<>();
  private final List<Runnable> starts = new ArrayList<>();
  private final Map<String, Supplier<Map<String, Object>>> sections = new LinkedHashMap<>();
  private final List<java.util.function.UnaryOperator<dev.nova.core.finding.Finding>> decorators =
      new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  Composition(
      NovaConfig config,
      NovaClock clock,
      NovaHealth health,
      MeterRegistry registry,
      MeterRegistry ownRegistry,
      DetectorScheduler scheduler,
      ActionDispatcher actions,
      SelfProtection selfProtection) {
    this.config = config;
    this.clock = clock;
    this.health = health;
    this.registry = registry;
    this.ownRegistry = ownRegistry;
    this.hold = config.get(Options.FINDINGS_HOLD);
    this.scheduler = scheduler;
    this.actions = actions;
    this.selfProtection = selfProtection;
  }

  /** Installs each area in turn; their signals appear in the report in this order. */
  void install(List<Area> list) {
    for (Area a : list) {
      areas.add(a.name());
      a.install(this);
    }
  }

  List<String> areas() {
    return List.copyOf(areas);
  }

  /** Runs every start hook, then the detector rounds. */
  void start() {
    for (Runnable r : starts) {
      r.run();
    }
    scheduler.start(config.detectInterval());
  }

  /** Stops the detector rounds, then closes what the areas registered, last first. */
  void close() {
    scheduler.close();
    for (int i = closeables.size() - 1; i >= 0; i--) {
      AutoCloseable c = closeables.get(i);
      try {
        c.close();
      } catch (Throwable t) {
        health.recordSuppressed("close " + c.getClass().getSimpleName(), t);
      }
    }
  }

  /** The report's {@code signals}: one member per area that has something to show. */
  Map<String, Object> signals() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (SignalSource s : signals) {
      try {
        Map<String, Object> snap = s.snapshot();
        if (snap != null) {
          m.put(s.area(), snap);
        }
      } catch (Throwable t) {
        health.recordSuppressed("signal " + s.area(), t);
        m.put(s.area(), Map.of("error", String.valueOf(t)));
      }
    }
    return m;
  }

  /** The areas' own top-level members of the report, in the order they were added. */
  Map<String, Object> sections() {
    Map<String, Object> m = new LinkedHashMap<>();
    sections.forEach(
        (name, s) -> {
          try {
            m.put(name, s.get());
          } catch (Throwable t) {
            health.recordSuppressed("section " + name, t);
            m.put(name, Map.of("error", String.valueOf(t)));
          }
        });
    return m;
  }

  /** The findings as the report shows them: each area's decorator applied in turn. */
  List<dev.nova.core.finding.Finding> decorated(List<dev.nova.core.finding.Finding> findings) {
    if (decorators.isEmpty()) {
      return findings;
    }
    List<dev.nova.core.finding.Finding> out = new ArrayList<>(findings.size());
    for (dev.nova.core.finding.Finding f : findings) {
      for (java.util.function.UnaryOperator<dev.nova.core.finding.Finding> d : decorators) {
        try {
          f = d.apply(f);
        } catch (Throwable t) {
          health.recordSuppressed("decorate " + f.code(), t);
        }
      }
      out.add(f);
    }
    return out;
  }

  /** The view under {@code GET /debug/nova/<name>}, or null when there is none. */
  Map<String, Object> renderView(String name) {
    Supplier<Map<String, Object>> v = views.get(name);
    return v == null ? null : v.get();
  }

  @Override
  public NovaConfig config() {
    return config;
  }

  @Override
  public NovaClock clock() {
    return clock;
  }

  @Override
  public NovaHealth health() {
    return health;
  }

  @Override
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public MeterRegistry ownRegistry() {
    return ownRegistry;
  }

  @Override
  public Duration hold() {
    return hold;
  }

  @Override
  public void detector(Detector detector) {
    scheduler.register(detector);
  }

  @Override
  public void signal(SignalSource source) {
    signals.add(Objects.requireNonNull(source));
  }

  @Override
  public void action(Action action) {
    actions.register(action);
  }

  @Override
  public void view(String name, Supplier<Map<String, Object>> view) {
    views.put(name, view);
  }

  @Override
  public void section(String name, Supplier<Map<String, Object>> section) {
    sections.put(name, Objects.requireNonNull(section));
  }

  @Override
  public void decorate(java.util.function.UnaryOperator<dev.nova.core.finding.Finding> decorator) {
    decorators.add(Objects.requireNonNull(decorator));
  }

  @Override
  public ActionDispatcher.Outcome act(String caller, String action, Map<String, String> params) {
    return actions.runAs(caller, action, params);
  }

  @Override
  public boolean shedding() {
    return selfProtection.shedding();
  }

  @Override
  public void optional(String what, Runnable shed, Runnable resume) {
    selfProtection.add(what, shed, resume);
  }

  @Override
  public void bridge(Runnable install, Runnable uninstall) {
    install.run();
    closeables.add(uninstall::run);
  }

  @Override
  public void onStart(Runnable start) {
    starts.add(start);
  }

  @Override
  public void onClose(AutoCloseable resource) {
    closeables.add(resource);
  }

  @Override
  public void onFindings(java.util.function.Consumer<List<dev.nova.core.finding.Finding>> round) {
    scheduler.onRound(round);
  }
}

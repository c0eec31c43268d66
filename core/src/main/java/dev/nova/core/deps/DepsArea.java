package dev.nova.core.deps;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.util.NovaLog;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Dependencies (runbook scenarios 3 and 4): TCP probes of the {@code deps} targets and of the
 * database hosts JDBC has seen, on one daemon thread; {@code DEPENDENCY_UNREACHABLE}.
 */
public final class DepsArea implements Area {
  private final Supplier<Set<String>> databaseTargets;

  /** {@code databaseTargets}: the {@code host:port} of every database JDBC has connected to. */
  public DepsArea(Supplier<Set<String>> databaseTargets) {
    this.databaseTargets = databaseTargets;
  }

  @Override
  public String name() {
    return "deps";
  }

  @Override
  public void install(Wiring w) {
    DependencyProbes deps =
        new DependencyProbes(
            w.clock(),
            w.health(),
            w.config().get(Options.DEPS),
            w.config().get(Options.DEPS_INTERVAL),
            databaseTargets,
            w.hold());
    w.signal(SignalSource.of("deps", deps::snapshot));
    w.detector(deps);
    w.onStart(
        () -> {
          for (String p : deps.problems()) {
            NovaLog.warn("config: " + p);
          }
          deps.start();
        });
    w.onClose(deps);
  }
}

package dev.nova.core.area;

import dev.nova.core.config.NovaConfig;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.remediation.Action;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an {@link Area} is given to install itself: the shared parts of one {@code Nova} and the
 * places its own parts go. Nothing else of Nova is reachable from an area.
 */
public interface Wiring {
  NovaConfig config();

  NovaClock clock();

  /** Where swallowed errors are counted and bounded structures are tracked. */
  NovaHealth health();

  /** Nova's meters: its own Prometheus registry, and the host's when it gave one. */
  MeterRegistry registry();

  /**
   * Nova's own Prometheus registry alone (what {@code /debug/nova/metrics} serves), for reading
   * figures back: every meter registered in {@link #registry()} is there too, and a composite's
   * meter reads whichever child its identity map lists first, which may be the host's, with other
   * histogram settings.
   */
  MeterRegistry ownRegistry();

  /** How long a finding outlasts its condition ({@code findings.hold}), for every detector. */
  Duration hold();

  /** A detector, run every round by {@code nova-detectors}. */
  void detector(Detector detector);

  /** A member of the report's {@code signals}, in the order areas are listed. */
  void signal(SignalSource source);

  /** A remediation under {@code POST /debug/nova/actions/<name>}. */
  void action(Action action);

  /** A read-only view under {@code GET /debug/nova/<name>}. */
  void view(String name, Supplier<Map<String, Object>> view);

  /**
   * Optional work that self-protection stops under heap or CPU pressure ({@code shed}) and starts
   * again once the pressure is gone ({@code resume}).
   */
  void optional(String what, Runnable shed, Runnable resume);

  /**
   * A hook from the agent's advice into this area (a static bridge): installed now, uninstalled
   * when Nova closes, so a closed instance is never fed.
   */
  void bridge(Runnable install, Runnable uninstall);

  /** Runs when Nova starts (never when it is disabled): threads, recordings, GC listeners. */
  void onStart(Runnable start);

  /** Closed when Nova closes, in the reverse order of registration; its errors are counted. */
  void onClose(AutoCloseable resource);

  /** A top-level member of the report beside {@code nova}, {@code config} and {@code agent}. */
  void section(String name, Supplier<Map<String, Object>> section);

  /**
   * A change to each finding as the report shows it (the autopilot marks a finding its rule keeps
   * fixing as recurring); the detectors' own findings, which round listeners get, are unchanged.
   */
  void decorate(java.util.function.UnaryOperator<dev.nova.core.finding.Finding> decorator);

  /**
   * Runs a registered action for a caller inside Nova, through the same dispatcher a person's
   * request goes through (its checks, limits, count and audit line; no token).
   */
  dev.nova.core.remediation.ActionDispatcher.Outcome act(
      String caller, String action, Map<String, String> params);

  /** Whether self-protection has shed Nova's optional work now. */
  boolean shedding();

  /**
   * Called after every detector round, on the detector thread, with every finding held now (the
   * fleet area turns them into meters, log lines and Alertmanager alerts). Must not block.
   */
  void onFindings(java.util.function.Consumer<java.util.List<dev.nova.core.finding.Finding>> round);
}

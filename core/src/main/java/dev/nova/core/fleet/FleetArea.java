package dev.nova.core.fleet;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.Options;
import dev.nova.core.finding.Finding;
import dev.nova.core.util.NovaLog;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Nova's findings handed to the engines a fleet already runs: as series on the metrics endpoint and
 * in the host's registry ({@link FindingSeries}), as log lines ({@link FindingLog}), and pushed to
 * Alertmanager when {@code alertmanager} is set ({@link AlertmanagerPush}). The Prometheus rules
 * and Grafana dashboard that read the series are printed by the agent's {@code prometheus-rules}
 * and {@code grafana-dashboard} commands ({@link PrometheusRules}, {@link GrafanaDashboard}).
 */
public final class FleetArea implements Area {
  private final String version;
  private final String mode;
  private final Supplier<String> reportUrl;
  private final Supplier<String> serviceVersion;
  private final java.util.function.Function<String, String> incidentOf;
  private final java.util.function.Function<String, String> autopilotOf;
  private volatile AlertmanagerPush push;

  /**
   * {@code reportUrl}: the report's address once listening (the alerts' generator URL); {@code
   * serviceVersion}: the running version of the service, read at install; {@code incidentOf}: the
   * incident bundle written for a raised code, or null (its log line and alert name it); {@code
   * autopilotOf}: the autopilot's last run for a code in a line, or null (its alert says it).
   */
  public FleetArea(
      String version,
      String mode,
      Supplier<String> reportUrl,
      Supplier<String> serviceVersion,
      java.util.function.Function<String, String> incidentOf,
      java.util.function.Function<String, String> autopilotOf) {
    this.incidentOf = incidentOf;
    this.autopilotOf = autopilotOf;
    this.version = version;
    this.mode = mode;
    this.reportUrl = reportUrl;
    this.serviceVersion = serviceVersion;
  }

  @Override
  public String name() {
    return "fleet";
  }

  @Override
  public void install(Wiring w) {
    NovaLog.json("json".equals(w.config().get(Options.LOG_FORMAT)));
    FindingSeries series = new FindingSeries(w.registry(), serviceVersion.get(), version, mode);
    FindingEvents events = new FindingEvents();
    FindingLog log = new FindingLog(incidentOf);
    List<URI> targets = w.config().get(Options.ALERTMANAGER);
    AlertmanagerPush p =
        targets.isEmpty()
            ? null
            : new AlertmanagerPush(
                targets,
                w.config().get(Options.ALERTMANAGER_INTERVAL),
                identity(w.config().get(Options.PORT)),
                reportUrl,
                w.clock(),
                w.health(),
                incidentOf,
                autopilotOf);
    push = p;
    w.onFindings(
        (List<Finding> findings) -> {
          List<FindingEvents.Change> changes = events.round(findings);
          series.update(findings, changes);
          log.write(changes, w.clock().now());
          if (p != null) {
            p.round(FindingEvents.byCode(findings), !changes.isEmpty());
          }
        });
    if (p != null) {
      w.onStart(p::start);
      w.onClose(p);
    }
  }

  /** The labels that tell this JVM's alerts from another's: host and process. */
  private static Map<String, String> identity(int port) {
    Map<String, String> m = new LinkedHashMap<>();
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (Exception | LinkageError e) {
      host = "unknown";
    }
    m.put("instance", host + ":" + ProcessHandle.current().pid());
    m.put("job", "nova");
    return m;
  }

  /** The report's {@code agent.alertmanager}: off, or each target's state. */
  public Map<String, Object> alertmanager() {
    AlertmanagerPush p = push;
    if (p == null) {
      return Map.of("status", "off (no alertmanager option)");
    }
    return p.snapshot();
  }
}

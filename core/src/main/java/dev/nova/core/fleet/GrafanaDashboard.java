package dev.nova.core.fleet;

import dev.nova.core.meter.Meters;
import dev.nova.core.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Grafana dashboard over Nova's series: findings by severity, HTTP rate, 5xx share and p95 by
 * route, WebSocket sessions and disconnects by close code, pool active and waiting, heap after GC,
 * GC share and threads. A Prometheus data source and an instance are chosen at the top ({@code
 * $datasource}, {@code $instance}). Printed by {@code java -jar nova-agent.jar grafana-dashboard};
 * import it in Grafana (Dashboards, New, Import).
 */
public final class GrafanaDashboard {
  private GrafanaDashboard() {}

  /** One panel: its title, type, unit and queries (a PromQL expression and its legend each). */
  record Panel(String title, String type, String unit, List<Query> queries) {}

  /** A PromQL expression and its legend. */
  record Query(String expr, String legend) {}

  static final String I = "{instance=~\"$instance\"}";
  static final String IC = "instance=~\"$instance\"";

  /** The panels, in order; tests run every query against a real Prometheus. */
  static List<Panel> panels() {
    List<Panel> p = new ArrayList<>();
    p.add(
        new Panel(
            "Findings by severity (0 none, 1 LOW .. 4 CRITICAL)",
            "timeseries",
            "none",
            List.of(
                q(
                    "max by (code) (" + Meters.FINDING_SEVERITY.prometheus() + I + ") > 0",
                    "{{code}}"))));
    p.add(
        new Panel(
            "Findings raised (per hour)",
            "timeseries",
            "none",
            List.of(
                q(
                    "sum by (code, severity) (increase("
                        + Meters.FINDINGS_RAISED.prometheus()
                        + I
                        + "[1h]))",
                    "{{code}} {{severity}}"))));
    p.add(
        new Panel(
            "HTTP requests per second by route",
            "timeseries",
            "reqps",
            List.of(
                q(
                    "sum by (route) (rate("
                        + Meters.HTTP_REQUEST_DURATION.prometheus("_count")
                        + I
                        + "[5m]))",
                    "{{route}}"))));
    p.add(
        new Panel(
            "5xx share by route (runbook: over 5% HIGH, 1-5% MEDIUM)",
            "timeseries",
            "percentunit",
            List.of(
                q(
                    "sum by (route) (rate("
                        + Meters.HTTP_ERRORS.prometheus()
                        + I
                        + "[5m])) / sum by (route) (rate("
                        + Meters.HTTP_REQUEST_DURATION.prometheus("_count")
                        + I
                        + "[5m]))",
                    "{{route}}"))));
    p.add(
        new Panel(
            "p95 latency by route",
            "timeseries",
            "s",
            List.of(
                q(
                    "histogram_quantile(0.95, sum by (route, le)"
                        + " (rate("
                        + Meters.HTTP_REQUEST_DURATION.prometheus("_bucket")
                        + I
                        + "[5m])))",
                    "{{route}}"))));
    p.add(
        new Panel(
            "gRPC server calls per second by status",
            "timeseries",
            "reqps",
            List.of(
                q(
                    "sum by (code) (rate("
                        + Meters.GRPC_SERVER_DURATION.prometheus("_count")
                        + I
                        + "[5m]))",
                    "{{code}}"))));
    p.add(
        new Panel(
            "gRPC failing share by method (GRPC_ERROR_RATE: the 5xx bands)",
            "timeseries",
            "percentunit",
            List.of(
                q(
                    "sum by (service, method) (rate("
                        + Meters.GRPC_SERVER_DURATION.prometheus("_count")
                        + "{instance=~\"$instance\",code=~\""
                        + String.join("|", dev.nova.core.grpc.GrpcTracker.errorCodes())
                        + "\"}[5m])) / sum by (service, method) (rate("
                        + Meters.GRPC_SERVER_DURATION.prometheus("_count")
                        + I
                        + "[5m]))",
                    "{{service}}/{{method}}"))));
    p.add(
        new Panel(
            "WebSocket sessions open",
            "timeseries",
            "none",
            List.of(
                q(
                    "sum by (route) (" + Meters.WS_CONNECTIONS.prometheus() + I + ")",
                    "{{route}}"))));
    p.add(
        new Panel(
            "WebSocket disconnects per second by close code",
            "timeseries",
            "none",
            List.of(
                q(
                    "sum by (code, side) (rate("
                        + Meters.WS_DISCONNECTS.prometheus()
                        + I
                        + "[5m]))",
                    "{{code}} {{side}}"))));
    p.add(
        new Panel(
            "Connection pools: active, idle, waiting, max",
            "timeseries",
            "none",
            List.of(
                q("sum by (pool) (" + Meters.POOL_ACTIVE.prometheus() + I + ")", "{{pool}} active"),
                q("sum by (pool) (" + Meters.POOL_IDLE.prometheus() + I + ")", "{{pool}} idle"),
                q(
                    "sum by (pool) (" + Meters.POOL_WAITING.prometheus() + I + ")",
                    "{{pool}} waiting"),
                q("sum by (pool) (" + Meters.POOL_MAX.prometheus() + I + ")", "{{pool}} max"))));
    p.add(
        new Panel(
            "Heap: live after GC, and the maximum",
            "timeseries",
            "bytes",
            List.of(
                q(Meters.HEAP_AFTER_GC.prometheus() + I, "after GC {{instance}}"),
                q(Meters.HEAP_MAX.prometheus() + I, "max {{instance}}"))));
    p.add(
        new Panel(
            "Share of time in GC",
            "timeseries",
            "percentunit",
            List.of(q("rate(" + Meters.GC_TIME.prometheus() + I + "[5m])", "{{instance}}"))));
    p.add(
        new Panel(
            "Threads",
            "timeseries",
            "none",
            List.of(
                q(Meters.THREADS_LIVE.prometheus() + I, "live {{instance}}"),
                q(Meters.THREADS_DAEMON.prometheus() + I, "daemon {{instance}}"))));
    return p;
  }

  private static Query q(String expr, String legend) {
    return new Query(expr, legend);
  }

  public static String render(String version) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("uid", "nova-findings");
    d.put("title", "Nova: findings and the runbook's signals");
    d.put(
        "description",
        "Generated by java -jar nova-agent.jar grafana-dashboard (Nova " + version + ")");
    d.put("tags", List.of("nova", "runbook"));
    d.put("timezone", "browser");
    d.put("schemaVersion", 39);
    d.put("version", 1);
    d.put("refresh", "30s");
    d.put("time", Map.of("from", "now-1h", "to", "now"));
    Map<String, Object> ds = new LinkedHashMap<>();
    ds.put("name", "datasource");
    ds.put("label", "Prometheus");
    ds.put("type", "datasource");
    ds.put("query", "prometheus");
    Map<String, Object> inst = new LinkedHashMap<>();
    inst.put("name", "instance");
    inst.put("label", "Instance");
    inst.put("type", "query");
    inst.put("datasource", Map.of("type", "prometheus", "uid", "${datasource}"));
    inst.put("query", "label_values(" + Meters.FINDING_SEVERITY.prometheus() + ", instance)");
    inst.put("refresh", 2);
    inst.put("multi", true);
    inst.put("includeAll", true);
    inst.put("allValue", ".*");
    d.put("templating", Map.of("list", List.of(ds, inst)));
    List<Object> panels = new ArrayList<>();
    int id = 1;
    int n = 0;
    for (Panel p : panels()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id++);
      m.put("title", p.title());
      m.put("type", p.type());
      m.put("datasource", Map.of("type", "prometheus", "uid", "${datasource}"));
      m.put("gridPos", Map.of("h", 8, "w", 12, "x", (n % 2) * 12, "y", (n / 2) * 8));
      m.put("fieldConfig", Map.of("defaults", Map.of("unit", p.unit()), "overrides", List.of()));
      List<Object> targets = new ArrayList<>();
      char ref = 'A';
      for (Query query : p.queries()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("refId", String.valueOf(ref++));
        t.put("expr", query.expr());
        t.put("legendFormat", query.legend());
        t.put("datasource", Map.of("type", "prometheus", "uid", "${datasource}"));
        targets.add(t);
      }
      m.put("targets", targets);
      panels.add(m);
      n++;
    }
    d.put("panels", panels);
    return new String(Json.render(d), java.nio.charset.StandardCharsets.UTF_8);
  }
}

package dev.nova.core.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code signals.http} and the route rows of the HTTP findings, rendered from a window. */
final class HttpSignals {
  private HttpSignals() {}

  /** The report's {@code signals.http}, or null before any connection or request. */
  static Map<String, Object> snapshot(HttpWindow.Window w, List<String> servers) {
    if (w.requests == 0 && w.started == 0 && w.connections == 0) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("servers", servers);
    m.put("windowSeconds", Math.round(w.seconds));
    m.put("requests", w.requests);
    m.put("requestsPerSecond", round(w.requests / Math.max(w.seconds, 1)));
    m.put("errors5xx", w.errors);
    m.put("errorShare", round(w.errorShare()));
    m.put("slow", w.slow);
    m.put("resetMidRequest", w.resets);
    m.put("connections", w.connections);
    Map<String, Object> byProtocol = new LinkedHashMap<>();
    for (int p = 0; p < HttpTracker.PROTOCOLS.length; p++) {
      long requests = w.byProtocol[3 * p];
      long resets = w.byProtocol[3 * p + 2];
      if (requests > 0 || resets > 0) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("requests", requests);
        row.put("errors5xx", w.byProtocol[3 * p + 1]);
        row.put("resetMidRequest", resets);
        byProtocol.put(HttpTracker.PROTOCOLS[p], row);
      }
    }
    m.put("byProtocol", byProtocol);
    m.put("p50Ms", round(w.all.quantileMs(0.5)));
    m.put("p95Ms", round(w.all.quantileMs(0.95)));
    m.put("p99Ms", round(w.all.quantileMs(0.99)));
    List<Object> rows = new ArrayList<>();
    for (Map.Entry<String, HttpWindow.RouteSlice> e : w.routesBy(r -> r.requests)) {
      if (rows.size() == 20) {
        break;
      }
      rows.add(routeRow(e.getKey(), e.getValue()));
    }
    m.put("routes", rows);
    return m;
  }

  static Map<String, Object> routeRow(String route, HttpWindow.RouteSlice r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("route", route);
    row.put("requests", r.requests);
    row.put("errors5xx", r.errors);
    row.put("errorShare", r.requests == 0 ? 0.0 : round((double) r.errors / r.requests));
    Map<String, Long> statuses = new TreeMap<>();
    r.statuses.asMap().forEach((k, v) -> statuses.put(Integer.toString(k), v));
    row.put("statuses", statuses);
    row.put("p50Ms", round(r.latency.quantileMs(0.5)));
    row.put("p95Ms", round(r.latency.quantileMs(0.95)));
    row.put("p99Ms", round(r.latency.quantileMs(0.99)));
    row.put("maxMs", round(r.latency.maxNanos / 1e6));
    row.put("slow", r.slow);
    row.put("resetMidRequest", r.resets);
    row.put("bytesIn", r.bytesIn);
    row.put("bytesOut", r.bytesOut);
    return row;
  }

  /** Three decimals, as every figure in the report is shown. */
  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}

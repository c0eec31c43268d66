package dev.nova.core.http;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.Hold;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runbook scenario 1 over the request window: {@code HTTP_ERROR_RATE} with the runbook's bands
 * (under 1% LOW, 1-5% MEDIUM, over 5% HIGH, CRITICAL when nearly every request fails or requests
 * arrive and none is answered) and {@code HTTP_SLOW} (requests past {@code http.slow}). Each is
 * held {@code findings.hold} (30 s) after it clears and rises a band after 10 minutes.
 */
public final class HttpDetectors implements Detector {
  static final Duration ESCALATE = Duration.ofMinutes(10);
  static final double DOWN_SHARE = 0.9;

  private final HttpTracker tracker;
  private final long minRequests;
  private final Hold errorHold;
  private final Hold slowHold;

  /** Each finding is held for {@code hold} after it clears. */
  public HttpDetectors(HttpTracker tracker, long minRequests, Duration hold) {
    this.tracker = tracker;
    this.minRequests = minRequests;
    this.errorHold = new Hold(hold, ESCALATE);
    this.slowHold = new Hold(hold, ESCALATE);
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    HttpWindow.Window w = tracker.window();
    long now = clock.nanoTime();
    List<Finding> out = new ArrayList<>(2);
    errorHold.add(out, errors(w), now);
    slowHold.add(out, slow(w), now);
    return out;
  }

  private Finding errors(HttpWindow.Window w) {
    boolean unanswered = w.requests == 0 && w.started >= minRequests / 2 && w.started >= 5;
    if (!unanswered && (w.requests < minRequests || w.errors == 0)) {
      return null;
    }
    double share = w.errorShare();
    Severity sev;
    String title;
    if (unanswered) {
      sev = Severity.CRITICAL;
      title =
          String.format(
              "%d requests arrived in the last %.0f s and none was answered", w.started, w.seconds);
    } else {
      sev =
          share >= DOWN_SHARE
              ? Severity.CRITICAL
              : share > 0.05 ? Severity.HIGH : share >= 0.01 ? Severity.MEDIUM : Severity.LOW;
      title =
          String.format(
              "%.1f%% of %d requests answered 5xx in the last %.0f s",
              share * 100, w.requests, w.seconds);
    }
    List<Evidence> routes = new ArrayList<>();
    for (Map.Entry<String, HttpWindow.RouteSlice> e : w.routesBy(r -> r.errors)) {
      if (routes.size() == 5 || e.getValue().errors == 0) {
        break;
      }
      HttpWindow.RouteSlice r = e.getValue();
      Evidence.Builder statuses = Evidence.builder();
      r.statuses.asMap().entrySet().stream()
          .filter(s -> s.getKey() >= 500)
          .sorted(Map.Entry.comparingByKey())
          .forEach(s -> statuses.put(Integer.toString(s.getKey()), s.getValue()));
      routes.add(
          Evidence.builder()
              .put("route", e.getKey())
              .put("errors5xx", r.errors)
              .put("requests", r.requests)
              .put("errorShare", HttpSignals.round((double) r.errors / Math.max(1, r.requests)))
              .put("statuses", statuses.build())
              .build());
    }
    return new Finding(
        FindingCode.HTTP_ERROR_RATE,
        sev,
        title,
        Evidence.builder()
            .put("errorShare", HttpSignals.round(share))
            .put("errors5xx", w.errors)
            .put("requests", w.requests)
            .put("requestsArrived", w.started)
            .put("connections", w.connections)
            .put("resetMidRequest", w.resets)
            .put("windowSeconds", Math.round(w.seconds))
            .put(
                "bands",
                "LOW under 1%, MEDIUM 1-5%, HIGH over 5%, CRITICAL from 90% or nothing answered")
            .list("byRoute", routes)
            .build(),
        List.of(ActionNames.THREAD_DUMP, ActionNames.POOL_RESET));
  }

  private Finding slow(HttpWindow.Window w) {
    if (w.slow == 0) {
      return null;
    }
    double share = (double) w.slow / Math.max(1, w.requests);
    double p50 = w.all.quantileMs(0.5);
    // a share or a median of a handful of requests says little: the bands need minRequests first
    Severity sev =
        w.requests < minRequests
            ? Severity.LOW
            : p50 >= tracker.slowNanos() / 1e6
                ? Severity.HIGH
                : share > 0.05 ? Severity.MEDIUM : Severity.LOW;
    List<Evidence> routes = new ArrayList<>();
    for (Map.Entry<String, HttpWindow.RouteSlice> e : w.routesBy(r -> r.latency.maxNanos)) {
      if (routes.size() == 5 || e.getValue().slow == 0) {
        break;
      }
      HttpWindow.RouteSlice r = e.getValue();
      routes.add(
          Evidence.builder()
              .put("route", e.getKey())
              .put("slow", r.slow)
              .put("requests", r.requests)
              .put("p50Ms", HttpSignals.round(r.latency.quantileMs(0.5)))
              .put("p95Ms", HttpSignals.round(r.latency.quantileMs(0.95)))
              .put("p99Ms", HttpSignals.round(r.latency.quantileMs(0.99)))
              .put("maxMs", HttpSignals.round(r.latency.maxNanos / 1e6))
              .build());
    }
    return new Finding(
        FindingCode.HTTP_SLOW,
        sev,
        String.format(
            "%d of %d requests took longer than %d ms in the last %.0f s",
            w.slow, w.requests, tracker.slowNanos() / 1_000_000, w.seconds),
        Evidence.builder()
            .put("slow", w.slow)
            .put("requests", w.requests)
            .put("thresholdMs", tracker.slowNanos() / 1_000_000)
            .put("p50Ms", HttpSignals.round(p50))
            .put("p95Ms", HttpSignals.round(w.all.quantileMs(0.95)))
            .put("p99Ms", HttpSignals.round(w.all.quantileMs(0.99)))
            .put("windowSeconds", Math.round(w.seconds))
            .put(
                "bands",
                "LOW under http.minRequests ("
                    + minRequests
                    + ") requests or up to 5% slow, MEDIUM over 5% slow, HIGH when the median is")
            .list("slowestRoutes", routes)
            .build(),
        List.of(ActionNames.THREAD_DUMP, ActionNames.QUERY_CANCEL));
  }
}

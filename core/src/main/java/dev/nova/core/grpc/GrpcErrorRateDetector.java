package dev.nova.core.grpc;

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
 * {@code GRPC_ERROR_RATE}: the share of calls over the window that ended {@code UNKNOWN}, {@code
 * INTERNAL}, {@code UNAVAILABLE}, {@code DATA_LOSS} or {@code DEADLINE_EXCEEDED}, in the runbook's
 * 5xx bands, with {@code HTTP_ERROR_RATE}'s floor ({@code http.minRequests} calls). A client's
 * {@code CANCELLED} or an application's {@code NOT_FOUND} is not the server failing.
 */
public final class GrpcErrorRateDetector implements Detector {
  /** From this share the service is as good as down (as for HTTP). */
  static final double DOWN_SHARE = 0.9;

  private final GrpcTracker tracker;
  private final long minCalls;
  private final Hold hold;

  public GrpcErrorRateDetector(GrpcTracker tracker, long minCalls, Duration hold) {
    this.tracker = tracker;
    this.minCalls = minCalls;
    this.hold = new Hold(hold, Duration.ofMinutes(10));
  }

  @Override
  public String name() {
    return "grpc";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    List<Finding> out = new ArrayList<>(1);
    hold.add(out, errors(tracker.window()), clock.nanoTime());
    return out;
  }

  Finding errors(GrpcTracker.Window w) {
    if (w.calls < minCalls || w.errors == 0) {
      return null;
    }
    double share = (double) w.errors / w.calls;
    Severity sev =
        share >= DOWN_SHARE
            ? Severity.CRITICAL
            : share > 0.05 ? Severity.HIGH : share >= 0.01 ? Severity.MEDIUM : Severity.LOW;
    List<Evidence> methods = new ArrayList<>();
    for (Map.Entry<String, GrpcTracker.MethodSlice> e : GrpcTracker.sorted(w)) {
      if (e.getValue().errors == 0) {
        continue;
      }
      if (methods.size() == 5) {
        break;
      }
      Map<String, Object> row = GrpcTracker.row(e.getKey(), e.getValue());
      Evidence.Builder b =
          Evidence.builder()
              .put("service", (String) row.get("service"))
              .put("method", (String) row.get("method"))
              .put("calls", (Number) row.get("calls"))
              .put("errors", (Number) row.get("errors"))
              .put("p95Ms", (Number) row.get("p95Ms"))
              .put("busiestStatus", (String) row.get("busiestStatus"));
      Evidence.Builder codes = Evidence.builder();
      e.getValue().byCode.forEach(codes::put);
      b.put("byCode", codes.build());
      methods.add(b.build());
    }
    Evidence.Builder codes = Evidence.builder();
    w.byCode.forEach(codes::put);
    return new Finding(
        FindingCode.GRPC_ERROR_RATE,
        sev,
        String.format(
            "%.1f%% of %d gRPC calls failed (%s) in the last %.0f s",
            share * 100, w.calls, String.join(", ", failing(w)), w.seconds),
        Evidence.builder()
            .put("errorShare", GrpcTracker.round(share))
            .put("errors", w.errors)
            .put("calls", w.calls)
            .put("windowSeconds", Math.round(w.seconds))
            .put("errorCodes", String.join(", ", new java.util.TreeSet<>(GrpcTracker.ERRORS)))
            .put("byCode", codes.build())
            .put(
                "bands",
                "LOW under 1%, MEDIUM 1-5%, HIGH over 5%, CRITICAL from 90%; at least"
                    + " http.minRequests ("
                    + minCalls
                    + ") calls")
            .list("byMethod", methods)
            .build(),
        List.of(ActionNames.THREAD_DUMP));
  }

  private static List<String> failing(GrpcTracker.Window w) {
    List<String> out = new ArrayList<>();
    for (String c : w.byCode.keySet()) {
      if (GrpcTracker.ERRORS.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }
}

package dev.nova.core.grpc;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.bridge.GrpcBridge;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.SignalSource;

/**
 * gRPC-Java servers (runbook scenario 1 between services): calls by service, method and status from
 * the agent's advice on gRPC's own server call, whatever the transport; {@code GRPC_ERROR_RATE};
 * {@code signals.grpc}. gRPC calls are not HTTP requests here: their HTTP status is 200 even when
 * the call fails.
 */
public final class GrpcArea implements Area {
  @Override
  public String name() {
    return "grpc";
  }

  @Override
  public void install(Wiring w) {
    GrpcTracker tracker =
        new GrpcTracker(w.clock(), w.registry(), w.config().get(Options.HTTP_WINDOW));
    w.health().track("grpc-calls-in-flight", tracker::inFlight, GrpcTracker.MAX_IN_FLIGHT);
    w.signal(SignalSource.of("grpc", tracker::snapshot));
    w.detector(
        new GrpcErrorRateDetector(tracker, w.config().get(Options.HTTP_MIN_REQUESTS), w.hold()));
    w.bridge(() -> GrpcBridge.install(tracker), () -> GrpcBridge.uninstall(tracker));
  }
}

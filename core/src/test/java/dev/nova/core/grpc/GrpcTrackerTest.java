package dev.nova.core.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nova.core.meter.Meters;
import dev.nova.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tracker on its own: calls by method and code, open streams, and its bound on methods. */
class GrpcTrackerTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GrpcTracker tracker = new GrpcTracker(clock, registry, Duration.ofMinutes(1));

  @Test
  void callsAreCountedByMethodAndCode() {
    for (int i = 0; i < 10; i++) {
      Object call = new Object();
      tracker.started(call, "shop.Orders/Get", "UNARY", clock.nanoTime());
      clock.advance(Duration.ofMillis(2));
      tracker.closed(call, i < 3 ? "UNAVAILABLE" : "OK", clock.nanoTime());
      tracker.streamClosed(call, "OK", clock.nanoTime()); // the stream's end after the close
    }
    Map<String, Object> s = tracker.snapshot();
    assertEquals(10L, s.get("calls"));
    assertEquals(3L, s.get("errors"));
    assertEquals(Map.of("OK", 7L, "UNAVAILABLE", 3L), s.get("byCode"));
    @SuppressWarnings("unchecked")
    Map<String, Object> row = ((List<Map<String, Object>>) s.get("methods")).get(0);
    assertEquals("shop.Orders", row.get("service"));
    assertEquals("Get", row.get("method"));
    assertEquals("UNAVAILABLE", row.get("busiestStatus"));
    assertEquals(
        3,
        registry
            .get(Meters.GRPC_SERVER_DURATION.name())
            .tags("service", "shop.Orders", "method", "Get", "code", "UNAVAILABLE")
            .timer()
            .count());
    assertEquals(
        7, registry.get(Meters.GRPC_SERVER_DURATION.name()).tags("code", "OK").timer().count());
  }

  @Test
  void streamingCallsAreOpenUntilTheirStreamEnds() {
    assertNull(tracker.snapshot());
    Object[] calls = {new Object(), new Object(), new Object()};
    for (Object c : calls) {
      tracker.started(c, "feed.Ticks/Watch", "SERVER_STREAMING", clock.nanoTime());
    }
    assertEquals(3, tracker.snapshot().get("openStreams"));
    assertEquals(
        3.0,
        registry
            .get(Meters.GRPC_SERVER_STREAMS.name())
            .tags("service", "feed.Ticks", "method", "Watch")
            .gauge()
            .value());
    for (Object c : calls) {
      tracker.streamClosed(c, "CANCELLED", clock.nanoTime());
    }
    assertEquals(0, tracker.snapshot().get("openStreams"));
    assertEquals(Map.of("CANCELLED", 3L), tracker.snapshot().get("byCode"));
  }

  @Test
  void methodsPastTheBoundAreCountedTogether() {
    for (int i = 0; i < GrpcTracker.MAX_METHODS + 5; i++) {
      Object call = new Object();
      tracker.started(call, "many.Service/M" + i, "UNARY", clock.nanoTime());
      tracker.closed(call, "OK", clock.nanoTime());
    }
    long named =
        registry.find(Meters.GRPC_SERVER_DURATION.name()).timers().stream()
            .filter(t -> !GrpcTracker.OTHER.equals(t.getId().getTag("method")))
            .count();
    assertEquals(GrpcTracker.MAX_METHODS, named);
    assertNotNull(
        registry
            .find(Meters.GRPC_SERVER_DURATION.name())
            .tags("service", GrpcTracker.OTHER, "method", GrpcTracker.OTHER)
            .timer());
    assertEquals(
        5,
        registry
            .get(Meters.GRPC_SERVER_DURATION.name())
            .tags("method", GrpcTracker.OTHER)
            .timer()
            .count());
  }
}

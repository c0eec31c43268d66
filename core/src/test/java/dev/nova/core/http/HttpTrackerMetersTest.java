package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract's HTTP meters, one per route, method and status, as requests record them. */
class HttpTrackerMetersTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final HttpTracker tracker =
      new HttpTracker(
          new ManualClock(),
          new Routes(null),
          registry,
          Duration.ofMinutes(1),
          Duration.ofSeconds(5));

  long timed(String route, String method, String status) {
    return registry
        .get("nova.http.request.duration")
        .tags("route", route, "method", method, "status", status)
        .timer()
        .count();
  }

  @Test
  void eachRouteMethodAndStatusHasItsOwnTimerAndFiveHundredsTheirCounter() {
    for (int i = 0; i < 3; i++) {
      tracker.record("GET", "/a", 200, 1_000_000, 0, 10);
    }
    tracker.record("POST", "/a", 201, 1_000_000, 10, 0);
    tracker.record("GET", "/a", 500, 1_000_000, 0, 0);
    tracker.record("GET", "/a", 500, 1_000_000, 0, 0);
    tracker.record("GET", "/a", 503, 1_000_000, 0, 0);
    tracker.record("BREW", "/a", 200, 1_000_000, 0, 0);
    tracker.record(null, "/b", 200, 1_000_000, 0, 0);
    tracker.record("GET", "/b", 200, 1_000_000, 0, 0);

    assertThat(timed("/a", "GET", "200")).isEqualTo(3);
    assertThat(timed("/a", "POST", "201")).isEqualTo(1);
    assertThat(timed("/a", "GET", "500")).isEqualTo(2);
    assertThat(timed("/a", "GET", "503")).isEqualTo(1);
    assertThat(timed("/a", "OTHER", "200")).isEqualTo(1);
    assertThat(timed("/b", "OTHER", "200")).isEqualTo(1);
    assertThat(timed("/b", "GET", "200")).isEqualTo(1);
    assertThat(
            registry.get("nova.http.errors").tags("route", "/a", "status", "500").counter().count())
        .isEqualTo(2.0);
    assertThat(
            registry.get("nova.http.errors").tags("route", "/a", "status", "503").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.find("nova.http.errors").tags("route", "/b").counter()).isNull();
    assertThat(registry.find("nova.http.request.duration").timers()).hasSize(7);
  }

  @Test
  void threadsRacingOnNewPairsMakeOneTimerEachAndLoseNoCount() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  tracker.record(i % 2 == 0 ? "GET" : "PUT", "/r", 200 + (i % 50), 1_000, 0, 0);
                }
              });
      th.start();
      started.add(th);
    }
    go.countDown();
    for (Thread th : started) {
      th.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(registry.find("nova.http.request.duration").timers()).hasSize(50);
    long total =
        registry.find("nova.http.request.duration").timers().stream()
            .mapToLong(io.micrometer.core.instrument.Timer::count)
            .sum();
    assertThat(total).isEqualTo((long) threads * perThread);
  }
}

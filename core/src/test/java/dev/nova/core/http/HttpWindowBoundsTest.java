package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The window's per-route figures stay within what one unstriped window would hold, however many
 * routes and threads there are, and give their room back once they leave the window.
 */
class HttpWindowBoundsTest {

  @Test
  void routeFiguresAreCappedAndFreedWhenTheyLeaveTheWindow() {
    ManualClock clock = new ManualClock();
    HttpTracker tracker =
        new HttpTracker(
            clock,
            new Routes(null),
            new SimpleMeterRegistry(),
            Duration.ofMinutes(1),
            Duration.ofSeconds(5));
    int routes = HttpWindow.MAX_ROUTE_SLICES + 100;
    for (int i = 0; i < routes; i++) {
      tracker.record("GET", "/r" + i, 200, 1_000_000, 0, 0);
    }
    assertThat(tracker.routeSlices()).isEqualTo(HttpWindow.MAX_ROUTE_SLICES + 1);
    HttpWindow.Window w = tracker.window();
    assertThat(w.routes.get(Routes.OTHER).requests).as("the routes past the cap").isEqualTo(100);
    assertThat(w.routes).hasSize(HttpWindow.MAX_ROUTE_SLICES + 1);

    clock.advance(Duration.ofMinutes(2)); // all of it out of the window
    tracker.window();
    assertThat(tracker.routeSlices()).isZero();
    tracker.record("GET", "/new", 200, 1_000_000, 0, 0);
    assertThat(tracker.window().routes).containsOnlyKeys("/new");
  }
}

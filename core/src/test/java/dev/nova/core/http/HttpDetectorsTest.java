package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runbook's bands over the window, on a manual clock. */
class HttpDetectorsTest {
  final ManualClock clock = new ManualClock();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final HttpTracker tracker =
      new HttpTracker(
          clock, new Routes(null), registry, Duration.ofMinutes(1), Duration.ofSeconds(5));
  final HttpDetectors detectors =
      new HttpDetectors(tracker, 20, dev.nova.core.diagnosis.Hold.DEFAULT);

  void requests(String route, int status, int n, long millis) {
    for (int i = 0; i < n; i++) {
      tracker.record("GET", route, status, millis * 1_000_000L, 10, 20);
    }
  }

  Finding only(String code) {
    List<Finding> fs = detectors.evaluate(clock);
    return fs.stream().filter(f -> f.code().equals(code)).findFirst().orElse(null);
  }

  @Test
  void errorBandsFollowTheRunbook() {
    requests("/ok", 200, 995, 5);
    requests("/bad", 503, 5, 5); // 0.5%
    assertThat(only("HTTP_ERROR_RATE").severity()).isEqualTo(Severity.LOW);
    requests("/bad", 500, 15, 5); // 2%
    assertThat(only("HTTP_ERROR_RATE").severity()).isEqualTo(Severity.MEDIUM);
    requests("/bad", 500, 60, 5); // 7.4%
    Finding f = only("HTTP_ERROR_RATE");
    assertThat(f.severity()).isEqualTo(Severity.HIGH);
    assertThat(f.evidence().get("errors5xx")).isEqualTo(80L);
    assertThat(f.evidence().get("byRoute").toString()).contains("/bad").contains("503=5");
    requests("/bad", 500, 20_000, 5);
    assertThat(only("HTTP_ERROR_RATE").severity()).isEqualTo(Severity.CRITICAL);
    assertThat(registry.get("nova.http.errors").tag("status", "500").counter().count())
        .isEqualTo(20_075);
  }

  @Test
  void tooFewRequestsAreNotJudgedButUnansweredRequestsAreCritical() {
    requests("/bad", 500, 5, 5);
    assertThat(only("HTTP_ERROR_RATE")).isNull();
    clock.advance(Duration.ofMinutes(2)); // out of the window
    HttpTracker.Conn c = tracker.connection(new Object());
    for (int i = 0; i < 12; i++) {
      c.request("GET", "/hang", false, clock.nanoTime()); // never answered
    }
    Finding f = only("HTTP_ERROR_RATE");
    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.title()).contains("none was answered");
  }

  @Test
  void findingsHoldThirtySecondsAndRiseAfterTenMinutes() {
    requests("/ok", 200, 95, 5);
    requests("/bad", 500, 5, 5); // 5%: MEDIUM
    assertThat(only("HTTP_ERROR_RATE").severity()).isEqualTo(Severity.MEDIUM);
    for (int minute = 0; minute < 11; minute++) {
      clock.advance(Duration.ofSeconds(30));
      requests("/ok", 200, 95, 5);
      requests("/bad", 500, 5, 5);
      detectors.evaluate(clock);
      clock.advance(Duration.ofSeconds(30));
      requests("/ok", 200, 95, 5);
      requests("/bad", 500, 5, 5);
    }
    Finding f = only("HTTP_ERROR_RATE");
    assertThat(f.severity()).isEqualTo(Severity.HIGH);
    assertThat(f.title()).contains("(for 11 min)");
    clock.advance(Duration.ofSeconds(50)); // the last errors are still in the window
    assertThat(only("HTTP_ERROR_RATE")).isNotNull();
    clock.advance(Duration.ofSeconds(20)); // now they are out of it: the condition is clear
    assertThat(only("HTTP_ERROR_RATE")).as("held for 30 s").isNotNull();
    clock.advance(Duration.ofSeconds(11));
    assertThat(only("HTTP_ERROR_RATE")).isNull();
  }

  @Test
  void oneSlowRequestOfOneIsLowNotHigh() {
    requests("/report", 200, 1, 7_000);
    Finding f = only("HTTP_SLOW");
    assertThat(f.severity())
        .as("its median is slow, but it is one request")
        .isEqualTo(Severity.LOW);
    assertThat(f.title()).startsWith("1 of 1 requests took longer than 5000 ms");
    requests("/report", 200, 19, 7_000); // 20 requests, every one slow: now the band applies
    assertThat(only("HTTP_SLOW").severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void slowRequestsNameTheSlowestRoutesWithPercentiles() {
    requests("/fast", 200, 100, 3);
    requests("/report", 200, 8, 7_000);
    Finding f = only("HTTP_SLOW");
    assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(f.evidence().get("slow")).isEqualTo(8L);
    assertThat(f.evidence().get("slowestRoutes").toString())
        .contains("route=/report")
        .contains("maxMs=7000.0");
    assertThat(tracker.snapshot().get("requests")).isEqualTo(108L);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndResetsCounted() {
    HttpTracker.Conn c = tracker.connection(new Object());
    long t0 = clock.nanoTime();
    c.request("GET", "/a/1", false, t0);
    c.request("POST", "/b/2", false, t0);
    c.request("GET", "/c", false, t0);
    c.responseStart(100); // 100 Continue is not the answer
    c.responseEnd(t0 + 1_000_000);
    c.responseStart(200);
    c.responseEnd(t0 + 2_000_000);
    c.responseStart(201);
    c.responseEnd(t0 + 3_000_000);
    c.inactive(t0 + 4_000_000); // /c was still in flight
    HttpWindow.Window w = tracker.window();
    assertThat(w.routes.get("/a/{id}").statuses.asMap()).containsEntry(200, 1L);
    assertThat(w.routes.get("/b/{id}").statuses.asMap()).containsEntry(201, 1L);
    assertThat(w.routes.get("/c").resets).isEqualTo(1);
    assertThat(w.requests()).isEqualTo(2);
    assertThat(
            registry
                .get("nova.http.request.duration")
                .tags("method", "POST", "route", "/b/{id}", "status", "201")
                .timer()
                .count())
        .isEqualTo(1);
  }
}

package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions, close sides and the three WebSocket findings on a manual clock. */
class WsTrackerTest {
  final ManualClock clock = new ManualClock();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final WsTracker ws = new WsTracker(clock, registry);
  final WsDetectors detectors =
      new WsDetectors(
          ws, Duration.ofMinutes(1), 3.0, 10, 2.0, 30, 10, dev.nova.core.diagnosis.Hold.DEFAULT);

  Finding only(String code) {
    return detectors.evaluate(clock).stream()
        .filter(f -> f.code().equals(code))
        .findFirst()
        .orElse(null);
  }

  List<WsTracker.Session> open(int n, List<Object> channels) {
    List<WsTracker.Session> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object ch = new Object();
      channels.add(ch);
      out.add(ws.opened("/ws/{id}", ch, clock.nanoTime()));
    }
    return out;
  }

  @Test
  void whoClosedIsToldByTheCloseFramesSeen() {
    List<Object> keep = new ArrayList<>();
    List<WsTracker.Session> s = open(3, keep);
    ws.frame(s.get(0), true, 1000, clock.nanoTime()); // client closes first
    ws.frame(s.get(0), false, 1000, clock.nanoTime()); // server echoes
    ws.frame(s.get(1), false, 4000, clock.nanoTime()); // server closes
    ws.frame(s.get(1), true, 4000, clock.nanoTime());
    for (WsTracker.Session x : s) {
      ws.closed(x, clock.nanoTime()); // the third never saw a close frame
    }
    ws.closed(s.get(0), clock.nanoTime()); // twice: counted once
    assertThat(count("1000", "client")).isEqualTo(1);
    assertThat(count("4000", "server")).isEqualTo(1);
    assertThat(count("1006", "abnormal")).isEqualTo(1);
    assertThat(ws.openSessions()).isZero();
    assertThat(registry.get("websocket.connections").gauge().value()).isZero();
  }

  double count(String code, String side) {
    return registry.get("websocket.disconnects").tags("code", code, "side", side).counter().count();
  }

  @Test
  void aSpikeIsMeasuredAgainstTheBaselineOfTheMinutesBefore() {
    List<Object> keep = new ArrayList<>();
    // ten quiet minutes: 4 disconnects a minute among 200 steady sessions (8 at most in a
    // 60-70 s window, under ws.spikeMin)
    List<WsTracker.Session> steady = open(200, keep);
    for (int m = 0; m < 10; m++) {
      List<WsTracker.Session> few = open(4, keep);
      for (WsTracker.Session x : few) {
        ws.frame(x, true, 1000, clock.nanoTime());
        ws.closed(x, clock.nanoTime());
      }
      assertThat(only("WS_DISCONNECT_SPIKE")).isNull();
      clock.advance(Duration.ofMinutes(1));
    }
    clock.advance(Duration.ofSeconds(40)); // the quiet minutes' hold has passed
    assertThat(only("WS_CHURN")).isNull();
    // then 60 of the steady sessions drop without a close frame
    for (WsTracker.Session x : steady.subList(0, 60)) {
      ws.closed(x, clock.nanoTime());
    }
    Finding f = only("WS_DISCONNECT_SPIKE");
    assertThat(f).isNotNull();
    assertThat(f.severity()).isEqualTo(Severity.HIGH);
    assertThat(f.evidence().get("disconnectsLastMinute")).isEqualTo(60L);
    assertThat((Double) f.evidence().get("baselinePerMinute")).isBetween(3.0, 5.0);
    assertThat(f.evidence().get("byCodeAndSide").toString()).contains("1006/abnormal=60");
  }

  @Test
  void reconnectStormsAreChurnAndIdleSessionsALeak() {
    List<Object> keep = new ArrayList<>();
    open(10, keep);
    for (int i = 0; i < 40; i++) {
      List<WsTracker.Session> s = open(1, keep);
      ws.closed(s.get(0), clock.nanoTime());
    }
    Finding churn = only("WS_CHURN");
    assertThat(churn).isNotNull();
    assertThat(churn.evidence().get("sessionsShorterThan10s")).isEqualTo(40L);
    assertThat(only("WS_SESSION_LEAK")).isNull();
    clock.advance(Duration.ofSeconds(61));
    Finding leak = only("WS_SESSION_LEAK");
    assertThat(leak).isNotNull();
    assertThat(leak.evidence().get("idleSessions")).isEqualTo(10);
    assertThat(leak.severity())
        .as("all 10 open sessions, ws.leakMin reached")
        .isEqualTo(Severity.HIGH);
    assertThat(leak.actions()).containsExactly("ws-close-idle");
  }

  @Test
  void oneSilentSessionOfOneIsLowAndTheTitleLeadsWithWhatIsWrong() {
    List<Object> keep = new ArrayList<>();
    open(1, keep);
    clock.advance(Duration.ofSeconds(61));
    Finding leak = only("WS_SESSION_LEAK");
    assertThat(leak.severity()).isEqualTo(Severity.LOW);
    assertThat(leak.title())
        .isEqualTo("1 WebSocket session silent (no frame from the client) past 60 s");
  }

  @Test
  void aSessionWhoseConnectionIsGoneIsNamedWithoutAZeroBeforeIt() {
    ws.opened("/ws/{id}", null, clock.nanoTime()); // its channel is gone: nothing to ask
    assertThat(only("WS_SESSION_LEAK")).as("seen gone once: may be closing").isNull();
    Finding leak = only("WS_SESSION_LEAK");
    assertThat(leak.severity()).isEqualTo(Severity.LOW);
    assertThat(leak.title())
        .isEqualTo("1 WebSocket session whose connection is gone, still tracked");
    assertThat(leak.evidence().get("channelGoneSessions")).isEqualTo(1);
  }

  @Test
  void silentSessionsAreMediumUnderHalfTheOpenOnesAndHighFromHalf() {
    List<Object> keep = new ArrayList<>();
    List<WsTracker.Session> all = open(30, keep);
    clock.advance(Duration.ofSeconds(61));
    for (WsTracker.Session s : all.subList(0, 18)) {
      ws.frame(s, true, -1, clock.nanoTime()); // 18 of 30 spoke: 12 silent, 40%
    }
    Finding medium = only("WS_SESSION_LEAK");
    assertThat(medium.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(medium.title()).startsWith("12 WebSocket sessions silent");
    for (WsTracker.Session s : all.subList(0, 3)) {
      ws.closed(s, clock.nanoTime()); // 27 open, 12 silent: still under half
    }
    assertThat(only("WS_SESSION_LEAK").severity()).isEqualTo(Severity.MEDIUM);
    for (WsTracker.Session s : all.subList(3, 6)) {
      ws.closed(s, clock.nanoTime()); // 24 open, 12 silent: half
    }
    assertThat(only("WS_SESSION_LEAK").severity()).isEqualTo(Severity.HIGH);
  }
}

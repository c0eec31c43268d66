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
import java.util.TreeMap;

/**
 * Runbook scenario 2: {@code WS_DISCONNECT_SPIKE} (disconnects in the last minute at least {@code
 * ws.spikeFactor} times the recent per-minute baseline and at least {@code ws.spikeMin}), {@code
 * WS_CHURN} (connects plus disconnects in the last minute at least {@code ws.churnMin} and {@code
 * ws.churnRatio} times the open sessions: reconnect storms) and {@code WS_SESSION_LEAK} (sessions
 * still tracked whose channel is gone or closed, or with no frame from the client for {@code
 * ws.idle}).
 */
public final class WsDetectors implements Detector {
  static final Duration ESCALATE = Duration.ofMinutes(10);

  private final WsTracker ws;
  private final long idleNanos;
  private final double spikeFactor;
  private final long spikeMin;
  private final double churnRatio;
  private final long churnMin;
  private final long leakMin;
  private final Hold spikeHold;
  private final Hold churnHold;
  private final Hold leakHold;

  /** Each finding is held for {@code hold} after it clears. */
  public WsDetectors(
      WsTracker ws,
      Duration idle,
      double spikeFactor,
      long spikeMin,
      double churnRatio,
      long churnMin,
      long leakMin,
      Duration hold) {
    this.spikeHold = new Hold(hold, ESCALATE);
    this.churnHold = new Hold(hold, ESCALATE);
    this.leakHold = new Hold(hold, ESCALATE);
    this.ws = ws;
    this.idleNanos = idle.toNanos();
    this.spikeFactor = spikeFactor;
    this.spikeMin = spikeMin;
    this.churnRatio = churnRatio;
    this.churnMin = churnMin;
    this.leakMin = leakMin;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    long now = clock.nanoTime();
    WsTracker.Rates r = ws.rates();
    List<Finding> out = new ArrayList<>(3);
    spikeHold.add(out, spike(r), now);
    churnHold.add(out, churn(r), now);
    leakHold.add(out, leak(now), now);
    return out;
  }

  private Finding spike(WsTracker.Rates r) {
    long d = r.disconnectsLastMinute();
    double base = r.baselineDisconnectsPerMinute();
    if (d < spikeMin || d < spikeFactor * Math.max(base, 1)) {
      return null;
    }
    long abnormal = 0;
    for (Map.Entry<String, Long> e : r.byCodeAndSide().entrySet()) {
      if (e.getKey().startsWith("1006/")) {
        abnormal += e.getValue();
      }
    }
    double abnormalShare = (double) abnormal / d;
    int open = ws.openSessions();
    Severity sev =
        d >= Math.max(open, 1) && abnormalShare >= 0.5
            ? Severity.CRITICAL
            : abnormalShare >= 0.5 ? Severity.HIGH : Severity.MEDIUM;
    return new Finding(
        FindingCode.WS_DISCONNECT_SPIKE,
        sev,
        String.format(
            "%d WebSocket disconnects in the last minute against a baseline of %.1f a minute%s",
            d,
            base,
            abnormalShare >= 0.5 ? "; most without a close frame (1006: network or restart)" : ""),
        Evidence.builder()
            .put("disconnectsLastMinute", d)
            .put("baselinePerMinute", HttpSignals.round(base))
            .put("baselineMinutes", r.baselineMinutes())
            .put("abnormalShare", HttpSignals.round(abnormalShare))
            .put("openSessions", open)
            .put("byCodeAndSide", counts(r.byCodeAndSide()))
            .build(),
        List.of(ActionNames.THREAD_DUMP));
  }

  private Finding churn(WsTracker.Rates r) {
    long moves = r.connectsLastMinute() + r.disconnectsLastMinute();
    int open = ws.openSessions();
    double ratio = (double) moves / Math.max(open, 1);
    if (moves < churnMin || ratio < churnRatio) {
      return null;
    }
    return new Finding(
        FindingCode.WS_CHURN,
        ratio >= 5 * churnRatio ? Severity.HIGH : Severity.MEDIUM,
        String.format(
            "%d connects and %d disconnects in the last minute for %d open sessions",
            r.connectsLastMinute(), r.disconnectsLastMinute(), open),
        Evidence.builder()
            .put("connectsLastMinute", r.connectsLastMinute())
            .put("disconnectsLastMinute", r.disconnectsLastMinute())
            .put("openSessions", open)
            .put("churnPerOpenSession", HttpSignals.round(ratio))
            .put("sessionsShorterThan10s", r.shortLivedLastMinute())
            .put("byCodeAndSide", counts(r.byCodeAndSide()))
            .put("refusedUpgrades", counts(r.refusedByStatus()))
            .build(),
        List.of(ActionNames.THREAD_DUMP));
  }

  private Finding leak(long now) {
    // a channel seen closed in two rounds in a row whose close Nova was never told of: the first
    // sighting may be the instant between the channel closing and its pipeline hearing of it
    List<WsTracker.Session> gone =
        ws.sessions(
            s -> {
              if (WsHandles.isOpen(s.channel())) {
                s.closedSightings = 0;
                return false;
              }
              return ++s.closedSightings >= 2;
            });
    List<WsTracker.Session> idle =
        ws.sessions(s -> s.silentNanos(now) >= idleNanos && WsHandles.isOpen(s.channel()));
    if (gone.isEmpty() && idle.isEmpty()) {
      return null;
    }
    Map<String, Long> byRoute = new TreeMap<>();
    WsTracker.Session idlest = null;
    for (WsTracker.Session s : idle) {
      byRoute.merge(s.route(), 1L, Long::sum);
      if (idlest == null || s.silentNanos(now) > idlest.silentNanos(now)) {
        idlest = s;
      }
    }
    Map<String, Long> goneByRoute = new TreeMap<>();
    for (WsTracker.Session s : gone) {
      goneByRoute.merge(s.route(), 1L, Long::sum);
      ws.forget(s); // reported once (the hold keeps the finding); Nova keeps nothing of it
    }
    int leaked = gone.size() + idle.size();
    double share = (double) leaked / Math.max(1, ws.openSessions());
    Evidence.Builder e =
        Evidence.builder()
            .put("idleSessions", idle.size())
            .put("channelGoneSessions", gone.size())
            .put("openSessions", ws.openSessions())
            .put("idleLimitSeconds", idleNanos / 1_000_000_000L)
            .put("idleByRoute", counts(byRoute))
            .put("channelGoneByRoute", counts(goneByRoute))
            .put(
                "bands",
                "LOW under ws.leakMin ("
                    + leakMin
                    + ") sessions, HIGH from half the open sessions, MEDIUM otherwise");
    if (idlest != null) {
      e.put("idlestSeconds", idlest.silentNanos(now) / 1_000_000_000L);
    }
    // a ratio says nothing of one session in one: the band needs ws.leakMin sessions first
    Severity sev = leaked < leakMin ? Severity.LOW : share >= 0.5 ? Severity.HIGH : Severity.MEDIUM;
    return new Finding(
        FindingCode.WS_SESSION_LEAK,
        sev,
        leakTitle(idle.size(), gone.size()),
        e.build(),
        List.of(ActionNames.WS_CLOSE_IDLE));
  }

  /** What is wrong first: only the kinds of leaked session there are, each with its count. */
  private String leakTitle(int idle, int gone) {
    List<String> parts = new ArrayList<>(2);
    if (idle > 0) {
      parts.add(
          sessions(idle)
              + " silent (no frame from the client) past "
              + idleNanos / 1_000_000_000L
              + " s");
    }
    if (gone > 0) {
      String whose = gone == 1 ? " whose connection is gone" : " whose connections are gone";
      parts.add((idle > 0 ? Integer.toString(gone) : sessions(gone)) + whose + ", still tracked");
    }
    return String.join(" and ", parts);
  }

  private static String sessions(int n) {
    return n + (n == 1 ? " WebSocket session" : " WebSocket sessions");
  }

  private static Evidence counts(Map<String, Long> m) {
    Evidence.Builder b = Evidence.builder();
    new TreeMap<>(m).forEach(b::put);
    return b.build();
  }
}

package dev.nova.core.http;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.remediation.Param;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code ws-close-idle}: close frames (1001, going away) to sessions idle past a limit. */
public final class WsActions {
  private WsActions() {}

  public static Action closeIdle(WsTracker ws, Duration defaultIdle) {
    Param<Duration> olderThan =
        Param.duration(
            "olderThan",
            defaultIdle,
            Duration.ofMillis(1),
            "close sessions with no frame from the client for longer than this (default: ws.idle)");
    Param<String> route =
        Param.route("route", "only sessions on this route (as signals.websocket names it)")
            .optional();
    return new Action() {
      @Override
      public String name() {
        return ActionNames.WS_CLOSE_IDLE;
      }

      @Override
      public String description() {
        return "sends a close frame (1001 going away) to WebSocket sessions idle past olderThan";
      }

      @Override
      public List<Param<?>> params() {
        return List.of(olderThan, route);
      }

      @Override
      public Map<String, Object> run(ActionRequest r) {
        long now = ws.clock().nanoTime();
        long limit = r.get(olderThan).toNanos();
        String only = r.get(route);
        Map<String, Long> closed = new TreeMap<>();
        long failed = 0;
        long total = 0;
        for (WsTracker.Session s :
            ws.sessions(
                s -> s.silentNanos(now) >= limit && (only == null || only.equals(s.route())))) {
          if (r.dryRun() || WsHandles.close(s.channel(), 1001, "going away: idle")) {
            closed.merge(s.route(), 1L, Long::sum);
            total++;
          } else {
            failed++;
          }
        }
        Map<String, Object> out = new TreeMap<>();
        out.put(r.dryRun() ? "wouldClose" : "closed", total);
        out.put("byRoute", closed);
        out.put("failed", failed);
        out.put("openSessionsBefore", ws.openSessions());
        out.put("closeCode", 1001);
        return out;
      }
    };
  }
}

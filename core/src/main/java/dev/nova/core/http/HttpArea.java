package dev.nova.core.http;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.bridge.HttpServerBridge;
import dev.nova.core.bridge.NettyBridge;
import dev.nova.core.bridge.ServletBridge;
import dev.nova.core.bridge.WsBridge;
import dev.nova.core.config.NovaConfig;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.SignalSource;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * HTTP and WebSocket (runbook scenarios 1 and 2): requests by route, method and status, sessions
 * with their close codes, from Netty and the JDK's HTTP server (the agent's bridges or the
 * library's handler and filter); {@code HTTP_ERROR_RATE}, {@code HTTP_SLOW}, {@code
 * WS_DISCONNECT_SPIKE}, {@code WS_CHURN}, {@code WS_SESSION_LEAK}; the {@code ws-close-idle}
 * action.
 */
public final class HttpArea implements Area {
  private NovaHttp http;

  @Override
  public String name() {
    return "http";
  }

  @Override
  public void install(Wiring w) {
    NovaConfig config = w.config();
    HttpTracker tracker =
        new HttpTracker(
            w.clock(),
            new Routes(config.get(Options.HTTP_ROUTES)),
            w.registry(),
            config.get(Options.HTTP_WINDOW),
            config.get(Options.HTTP_SLOW));
    // a route's figures in one slice: counters, a few statuses, a latency histogram
    w.health().track("http-route-slices", tracker::routeSlices, 640);
    WsTracker ws = new WsTracker(w.clock(), w.registry());
    NovaHttp h = new NovaHttp(tracker, ws);
    Duration idle = config.get(Options.WS_IDLE);
    w.signal(SignalSource.of("http", tracker::snapshot));
    w.signal(SignalSource.of("websocket", () -> ws.snapshot(idle.toNanos())));
    w.detector(new HttpDetectors(tracker, config.get(Options.HTTP_MIN_REQUESTS), w.hold()));
    w.detector(
        new WsDetectors(
            ws,
            idle,
            config.get(Options.WS_SPIKE_FACTOR),
            config.get(Options.WS_SPIKE_MIN),
            config.get(Options.WS_CHURN_RATIO),
            config.get(Options.WS_CHURN_MIN),
            config.get(Options.WS_LEAK_MIN),
            w.hold()));
    w.action(WsActions.closeIdle(ws, idle));
    w.bridge(() -> NettyBridge.install(h.sink()), () -> NettyBridge.uninstall(h.sink()));
    w.bridge(
        () -> ServletBridge.install(h.servletSink()),
        () -> ServletBridge.uninstall(h.servletSink()));
    w.bridge(
        () -> WsBridge.install(h.containerWebSockets()),
        () -> WsBridge.uninstall(h.containerWebSockets()));
    Consumer<Object> contexts =
        ctx -> {
          if (ctx instanceof com.sun.net.httpserver.HttpContext c) {
            h.observe(c);
          }
        };
    w.bridge(() -> HttpServerBridge.install(contexts), () -> HttpServerBridge.uninstall(contexts));
    http = h;
  }

  /** HTTP and WebSocket in library mode; there once this area is installed. */
  public NovaHttp http() {
    return http;
  }
}

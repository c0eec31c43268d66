package dev.nova.core.http;

import dev.nova.core.bridge.ServletBridge;

/** What the agent's servlet advice sees, handed to the trackers. */
final class ServletSink implements ServletBridge.Sink {
  private final HttpTracker http;
  private final WsTracker ws;

  ServletSink(HttpTracker http, WsTracker ws) {
    this.http = http;
    this.ws = ws;
  }

  @Override
  public void arrived(String server) {
    http.arrived();
    http.server(server);
  }

  @Override
  public String route(String contextPath, Object springPattern, String requestUri) {
    if (springPattern != null) {
      String pattern = springPattern.toString();
      return http.routes().route(contextPath == null ? pattern : contextPath + pattern);
    }
    return http.routes().route(requestUri);
  }

  @Override
  public void ended(
      String method,
      String route,
      int status,
      long nanos,
      long bytesIn,
      long bytesOut,
      boolean upgrade,
      boolean h2) {
    http.record(
        h2 ? HttpTracker.H2 : HttpTracker.HTTP1, method, route, status, nanos, bytesIn, bytesOut);
    if (upgrade && status != 101) {
      ws.refused(route, status);
    }
  }
}

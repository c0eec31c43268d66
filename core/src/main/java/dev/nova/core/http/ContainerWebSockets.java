package dev.nova.core.http;

import dev.nova.core.bridge.WsBridge;
import dev.nova.core.util.WeakIdentityMap;

/**
 * WebSocket sessions of servlet containers (JSR-356 on Tomcat, Jetty, Undertow), as the agent's
 * advice reports them, handed to the {@link WsTracker} the Netty ones go to. A session is known by
 * its key (the container's session, or Undertow's channel) and closed through its handle (the
 * container's session): both held weakly, here and in the tracker.
 */
final class ContainerWebSockets implements WsBridge.Sink {
  private final WsTracker ws;
  private final Routes routes;
  private final WeakIdentityMap<Object, WsTracker.Session> sessions =
      new WeakIdentityMap<>(WsTracker.MAX_SESSIONS);

  ContainerWebSockets(WsTracker ws, Routes routes) {
    this.ws = ws;
    this.routes = routes;
  }

  @Override
  public void opened(Object key, Object handle, String path, long now) {
    if (sessions.get(key) == null) {
      WsTracker.Session s = ws.opened(routes.route(path), handle, now);
      if (s != null && !sessions.putIfRoom(key, s)) {
        ws.forget(s); // past the bound: counted as opened and closed, not tracked
      }
    }
  }

  @Override
  public void frameIn(Object session, long now) {
    ws.frame(sessions.get(session), true, -1, now);
  }

  @Override
  public void close(Object session, boolean in, int code, long now) {
    // the frame itself, if it came in, was counted by frameIn
    ws.closeFrame(sessions.get(session), in, code, now);
  }

  @Override
  public void framesUnseen(Object session) {
    ws.framesUnseen(sessions.get(session));
  }

  @Override
  public void closed(Object session, long now) {
    WsTracker.Session s = sessions.remove(session);
    if (s != null) {
      ws.closed(s, now);
    }
  }
}

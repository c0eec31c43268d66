package dev.nova.core.http;

import dev.nova.core.bridge.NettyBridge;

/** What the agent's Netty advice sees, handed to the trackers. */
final class HttpSink implements NettyBridge.Sink {
  private final HttpTracker http;
  private final WsTracker ws;

  HttpSink(HttpTracker http, WsTracker ws) {
    this.http = http;
    this.ws = ws;
  }

  /** "Netty 4.2.18.Final", from the jar of the channel's class. */
  private static final ClassValue<String> SERVER =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> channelType) {
          Package p = channelType.getPackage();
          String v = p == null ? null : p.getImplementationVersion();
          return v == null ? "Netty" : "Netty " + v;
        }
      };

  @Override
  public Object connection(Object channel) {
    if (channel != null) {
      http.server(SERVER.get(channel.getClass()));
    }
    return http.connection(channel);
  }

  @Override
  public void request(Object conn, String method, String uri, int upgrade, long now) {
    ((HttpTracker.Conn) conn).request(method, uri, upgrade, now);
  }

  @Override
  public void streamRequest(Object conn, int stream, String method, String path, long now) {
    ((HttpTracker.Conn) conn).streamRequest(stream, method, path, now);
  }

  @Override
  public void streamRequestBytes(Object conn, int stream, long bytes) {
    ((HttpTracker.Conn) conn).streamRequestBytes(stream, bytes);
  }

  @Override
  public void streamResponse(Object conn, int stream, int status) {
    ((HttpTracker.Conn) conn).streamResponse(stream, status);
  }

  @Override
  public void streamResponseBytes(Object conn, int stream, long bytes) {
    ((HttpTracker.Conn) conn).streamResponseBytes(stream, bytes);
  }

  @Override
  public void streamEnd(Object conn, int stream, long now) {
    ((HttpTracker.Conn) conn).streamEnd(stream, now);
  }

  @Override
  public void streamReset(Object conn, int stream) {
    ((HttpTracker.Conn) conn).streamReset(stream);
  }

  @Override
  public void goAway(Object conn, int lastStream) {
    ((HttpTracker.Conn) conn).goAway(lastStream);
  }

  @Override
  public void requestBytes(Object conn, long bytes) {
    ((HttpTracker.Conn) conn).requestBytes(bytes);
  }

  @Override
  public void responseStart(Object conn, int status) {
    ((HttpTracker.Conn) conn).responseStart(status);
  }

  @Override
  public void responseBytes(Object conn, long bytes) {
    ((HttpTracker.Conn) conn).responseBytes(bytes);
  }

  @Override
  public void responseEnd(Object conn, long now) {
    ((HttpTracker.Conn) conn).responseEnd(now);
  }

  @Override
  public void frame(Object conn, boolean in, int closeCode, long now) {
    ws.frame(((HttpTracker.Conn) conn).session(), in, closeCode, now);
  }

  @Override
  public void inactive(Object conn, long now) {
    ((HttpTracker.Conn) conn).inactive(now);
  }
}

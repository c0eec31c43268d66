package dev.nova.spring;

import dev.nova.core.Nova;
import dev.nova.core.bridge.WsBridge;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Spring WebSocket on a servlet stack ({@code @EnableWebSocket} handlers, and STOMP's endpoints of
 * {@code @EnableWebSocketMessageBroker}): each WebSocket handler of a handler mapping is reached
 * through Nova's decorator, outermost, so its sessions are tracked as the agent tracks them: open
 * per route (the pattern it is mapped to), the messages it receives for idleness, the close code
 * and side (the server's through its session, 1006 for a dropped connection), and {@code
 * ws-close-idle} closing through Spring's own session. The handler, its handshake handler and its
 * interceptors stay the application's own.
 *
 * <p>The mapping is changed before Spring registers its handlers (after the bean's instantiation,
 * before its initialization). A handler's session is a {@link WebSocketSessionDecorator}: {@code
 * WebSocketSessionDecorator.unwrap(session)} gives Spring's own. SockJS fallbacks are not tracked.
 */
final class NovaWebSockets implements InstantiationAwareBeanPostProcessor {
  private final ObjectProvider<Nova> nova;

  NovaWebSockets(ObjectProvider<Nova> nova) {
    this.nova = nova;
  }

  @Override
  @SuppressWarnings("unchecked") // Spring's own map of patterns to handlers, mutable until init
  public boolean postProcessAfterInstantiation(Object bean, String name) {
    if (bean instanceof SimpleUrlHandlerMapping mapping) {
      Nova n = null;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) mapping.getUrlMap()).entrySet()) {
        if (e.getValue() instanceof WebSocketHttpRequestHandler h && !(h instanceof Tracking)) {
          n = n != null ? n : nova.getIfAvailable();
          if (n == null) {
            return true;
          }
          e.setValue(new Tracking(h, n.http().containerWebSockets(), e.getKey()));
        }
      }
    }
    return true;
  }

  /** The application's request handler, with Nova's decorator in front of its WebSocket handler. */
  static final class Tracking extends WebSocketHttpRequestHandler {
    Tracking(WebSocketHttpRequestHandler theirs, WsBridge.Sink sink, String route) {
      super(new Observed(theirs.getWebSocketHandler(), sink, route), theirs.getHandshakeHandler());
      setHandshakeInterceptors(theirs.getHandshakeInterceptors());
    }

    @Override
    protected WebSocketHandler decorate(WebSocketHandler handler) {
      return handler; // theirs is decorated already, and Nova's decorator goes outside it
    }
  }

  /**
   * Nova's decorator: it sees every session of the handler, and hands it a {@link Session}, kept in
   * the session's own attributes so that it lives exactly as long as the session does.
   */
  static final class Observed extends WebSocketHandlerDecorator {
    /** The attribute holding Nova's view of a session; nothing else of the session's is touched. */
    static final String VIEW = Observed.class.getName() + ".session";

    private final WsBridge.Sink sink;
    private final String route;

    Observed(WebSocketHandler delegate, WsBridge.Sink sink, String route) {
      super(delegate);
      this.sink = sink;
      this.route = route;
    }

    private static Session viewOf(WebSocketSession session) {
      return session.getAttributes().get(VIEW) instanceof Session s ? s : null;
    }

    private static WebSocketSession view(WebSocketSession session) {
      Session s = viewOf(session);
      return s != null ? s : session;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
      try {
        Session s = new Session(session, sink);
        session.getAttributes().put(VIEW, s);
        sink.opened(session, s, route, System.nanoTime());
      } catch (RuntimeException e) {
        // observation never changes what the application does
      }
      super.afterConnectionEstablished(view(session));
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message)
        throws Exception {
      try {
        sink.frameIn(session, System.nanoTime());
      } catch (RuntimeException e) {
        // observation never changes what the application does
      }
      super.handleMessage(view(session), message);
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception)
        throws Exception {
      super.handleTransportError(view(session), exception);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status)
        throws Exception {
      Session s = viewOf(session);
      try {
        long now = System.nanoTime();
        int code = status.getCode();
        // without the view (a handler that cleared its session's attributes) the side is unknown:
        // the session still ends, its code is not counted
        if (s != null && !s.closedHere.get() && code != WsBridge.ABNORMAL) {
          sink.close(session, true, code, now);
        }
        sink.closed(session, now);
      } catch (RuntimeException e) {
        // observation never changes what the application does
      }
      super.afterConnectionClosed(s != null ? s : session, status);
    }
  }

  /**
   * What the application's handler is given in place of Spring's session: the same session, whose
   * close Nova counts as the server's; and Nova's handle on it.
   */
  static final class Session extends WebSocketSessionDecorator implements WsBridge.Handle {
    private final WsBridge.Sink sink;
    final AtomicBoolean closedHere = new AtomicBoolean();

    Session(WebSocketSession session, WsBridge.Sink sink) {
      super(session);
      this.sink = sink;
    }

    @Override
    public void close(CloseStatus status) throws java.io.IOException {
      try {
        if (getDelegate().isOpen() && closedHere.compareAndSet(false, true)) {
          sink.close(getDelegate(), false, status.getCode(), System.nanoTime());
        }
      } catch (RuntimeException e) {
        // observation never changes what the application does
      }
      super.close(status);
    }

    @Override
    public void close() throws java.io.IOException {
      close(CloseStatus.NORMAL);
    }

    @Override
    public void close(int code, String reason) throws java.io.IOException {
      close(new CloseStatus(code, reason));
    }
  }
}

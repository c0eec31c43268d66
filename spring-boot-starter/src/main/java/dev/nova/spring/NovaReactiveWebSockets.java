package dev.nova.spring;

import dev.nova.core.Nova;
import dev.nova.core.bridge.WsBridge;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * WebSocket on WebFlux: each {@code WebSocketHandler} of a {@code SimpleUrlHandlerMapping} (the way
 * WebFlux maps them) reached through Nova's handler, so its sessions are tracked as the agent
 * tracks them: open per route (the pattern it is mapped to), the messages the handler receives for
 * idleness, the close code and side (the server's through its session; a connection gone without a
 * close frame is 1006), and {@code ws-close-idle} closing through WebFlux's own session. The
 * mapping is changed before WebFlux registers its handlers; the handler's session is Nova's view of
 * WebFlux's, the same in everything but its close.
 */
final class NovaReactiveWebSockets implements InstantiationAwareBeanPostProcessor {
  private final ObjectProvider<Nova> nova;

  NovaReactiveWebSockets(ObjectProvider<Nova> nova) {
    this.nova = nova;
  }

  @Override
  @SuppressWarnings("unchecked") // WebFlux's own map of patterns to handlers, mutable until init
  public boolean postProcessAfterInstantiation(Object bean, String name) {
    if (bean instanceof SimpleUrlHandlerMapping mapping) {
      Nova n = null;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) mapping.getUrlMap()).entrySet()) {
        if (e.getValue() instanceof WebSocketHandler h && !(h instanceof Observed)) {
          n = n != null ? n : nova.getIfAvailable();
          if (n == null) {
            return true;
          }
          e.setValue(new Observed(h, n.http().containerWebSockets(), e.getKey()));
        }
      }
    }
    return true;
  }

  /** Nova's handler in front of the application's. */
  static final class Observed implements WebSocketHandler {
    private final WebSocketHandler theirs;
    private final WsBridge.Sink sink;
    private final String route;

    Observed(WebSocketHandler theirs, WsBridge.Sink sink, String route) {
      this.theirs = theirs;
      this.sink = sink;
      this.route = route;
    }

    @Override
    public List<String> getSubProtocols() {
      return theirs.getSubProtocols();
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
      Session s = new Session(session, sink);
      try {
        sink.opened(session, s, route, System.nanoTime());
        // the close frame's status, or nothing when the connection went without one
        session.closeStatus().subscribe(s::ended, failed -> s.ended(null), () -> s.ended(null));
      } catch (RuntimeException e) {
        // observation never changes what the application does
      }
      return theirs.handle(s);
    }
  }

  /** What the application's handler is given in place of WebFlux's session. */
  static final class Session implements WebSocketSession, WsBridge.Handle {
    private final WebSocketSession session;
    private final WsBridge.Sink sink;
    private final AtomicBoolean closedHere = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    Session(WebSocketSession session, WsBridge.Sink sink) {
      this.session = session;
      this.sink = sink;
    }

    /** The session ended with the close frame's {@code status}, or {@code null} without one. */
    void ended(CloseStatus status) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      try {
        long now = System.nanoTime();
        int code = status == null ? WsBridge.ABNORMAL : status.getCode();
        if (!closedHere.get() && code != WsBridge.ABNORMAL) {
          sink.close(session, true, code, now);
        }
        sink.closed(session, now);
      } catch (RuntimeException e) {
        // observation never changes what the application does
      }
    }

    @Override
    public Mono<Void> close(CloseStatus status) {
      try {
        if (session.isOpen() && closedHere.compareAndSet(false, true)) {
          sink.close(session, false, status.getCode(), System.nanoTime());
        }
      } catch (RuntimeException e) {
        // observation never changes what the application does
      }
      return session.close(status);
    }

    @Override
    public void close(int code, String reason) {
      close(new CloseStatus(code, reason)).subscribe(null, failed -> {});
    }

    @Override
    public Flux<WebSocketMessage> receive() {
      return session
          .receive()
          .doOnNext(
              m -> {
                try {
                  sink.frameIn(session, System.nanoTime());
                } catch (RuntimeException e) {
                  // observation never changes what the application does
                }
              });
    }

    @Override
    public boolean isOpen() {
      return session.isOpen();
    }

    @Override
    public String getId() {
      return session.getId();
    }

    @Override
    public HandshakeInfo getHandshakeInfo() {
      return session.getHandshakeInfo();
    }

    @Override
    public DataBufferFactory bufferFactory() {
      return session.bufferFactory();
    }

    @Override
    public Map<String, Object> getAttributes() {
      return session.getAttributes();
    }

    @Override
    public Mono<Void> send(Publisher<WebSocketMessage> messages) {
      return session.send(messages);
    }

    @Override
    public Mono<CloseStatus> closeStatus() {
      return session.closeStatus();
    }

    @Override
    public WebSocketMessage textMessage(String payload) {
      return session.textMessage(payload);
    }

    @Override
    public WebSocketMessage binaryMessage(Function<DataBufferFactory, DataBuffer> payload) {
      return session.binaryMessage(payload);
    }

    @Override
    public WebSocketMessage pingMessage(Function<DataBufferFactory, DataBuffer> payload) {
      return session.pingMessage(payload);
    }

    @Override
    public WebSocketMessage pongMessage(Function<DataBufferFactory, DataBuffer> payload) {
      return session.pongMessage(payload);
    }

    @Override
    public String toString() {
      return session.toString();
    }
  }
}

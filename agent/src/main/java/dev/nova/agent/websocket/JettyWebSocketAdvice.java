package dev.nova.agent.websocket;

import dev.nova.core.bridge.WsBridge;
import net.bytebuddy.asm.Advice;

/**
 * Jetty's WebSocket session: the core session of Jetty 10 and 11 ({@code core.internal}) and 12
 * ({@code core}), which JSR-356 endpoints, Jetty's own API and Spring on Jetty all run on, and
 * Jetty 9.4's {@code WebSocketSession} with its connection. Typed on {@code Object}.
 */
final class JettyWebSocketAdvice {
  private JettyWebSocketAdvice() {}

  /** {@code onOpen()}: the session is set up (client sessions are left out by the bridge). */
  static final class Open {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object session) {
      WsBridge.openedJetty(session, System.nanoTime());
    }
  }

  /** {@code onFrame(Frame, Callback)}: every frame from the peer, close frames with their code. */
  static final class FrameIn {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session, @Advice.Argument(0) Object frame) {
      WsBridge.frameInJetty(session, frame, System.nanoTime());
    }
  }

  /** {@code close(CloseStatus, Callback)}: this side closes (the application, an idle timeout). */
  static final class CloseOut {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session, @Advice.Argument(0) Object status) {
      WsBridge.close(session, false, status, System.nanoTime());
    }
  }

  /**
   * Jetty 9.4's {@code AbstractWebSocketConnection.close(CloseInfo, Callback)}: this side closes
   * (unless the peer dropped first: Jetty then "closes" with 1001 into a dead connection).
   */
  static final class CloseOut94 {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object connection,
        @Advice.FieldValue("session") Object session,
        @Advice.Argument(0) Object info) {
      WsBridge.closeOutOn(connection, session, info, System.nanoTime());
    }
  }

  /**
   * {@code closeConnection(CloseStatus, Callback)} (10 to 12), {@code onClosed(Connection)} (9.4):
   * the end, however it came.
   */
  static final class Closed {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session) {
      WsBridge.closed(session, System.nanoTime());
    }
  }
}

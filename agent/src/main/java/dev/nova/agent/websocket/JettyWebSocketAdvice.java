package dev.nova.agent.websocket;

import dev.nova.core.bridge.WsBridge;
import net.bytebuddy.asm.Advice;

/**
 * Jetty's WebSocket core session (Jetty 10 and 11 in {@code core.internal}, 12 in {@code core}):
 * JSR-356 endpoints, Jetty's own API and Spring on Jetty all run on it. Typed on {@code Object}.
 */
final class JettyWebSocketAdvice {
  private JettyWebSocketAdvice() {}

  /** {@code onOpen()}: the session is set up (client sessions are left out by the bridge). */
  static final class Open {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object session) {
      WsBridge.openedCore(session, System.nanoTime());
    }
  }

  /** {@code onFrame(Frame, Callback)}: every frame from the peer, close frames with their code. */
  static final class FrameIn {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session, @Advice.Argument(0) Object frame) {
      WsBridge.frameInCore(session, frame, System.nanoTime());
    }
  }

  /** {@code close(CloseStatus, Callback)}: this side closes (the application, an idle timeout). */
  static final class CloseOut {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session, @Advice.Argument(0) Object status) {
      WsBridge.close(session, false, status, System.nanoTime());
    }
  }

  /** {@code closeConnection(CloseStatus, Callback)}: the end, however it came. */
  static final class Closed {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session) {
      WsBridge.closed(session, System.nanoTime());
    }
  }
}

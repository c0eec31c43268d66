package dev.nova.agent.websocket;

import dev.nova.core.bridge.WsBridge;
import net.bytebuddy.asm.Advice;

/**
 * Tomcat's own JSR-356 implementation (9, 10.1, 11: the same classes, javax or jakarta in their
 * signatures), typed on {@code Object} only so that one advice serves both APIs.
 */
final class TomcatWebSocketAdvice {
  private TomcatWebSocketAdvice() {}

  /** {@code WsHttpUpgradeHandler.init}: the upgraded connection's session exists and is open. */
  static final class Open {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.FieldValue("wsSession") Object session,
        @Advice.FieldValue("serverEndpointConfig") Object config) {
      WsBridge.opened(session, config, System.nanoTime());
    }
  }

  /** {@code WsFrameServer.updateStats}: once per frame from the client, control frames too. */
  static final class FrameIn {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("wsSession") Object session) {
      WsBridge.frameIn(session, System.nanoTime());
    }
  }

  /**
   * {@code WsSession.onClose(CloseReason)}: the client's close frame, or (with 1006) Tomcat's word
   * that the connection dropped.
   */
  static final class CloseIn {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session, @Advice.Argument(0) Object reason) {
      WsBridge.close(session, true, reason, System.nanoTime());
    }
  }

  /**
   * {@code WsSession.doClose(toPeer, local, closeSocket)}: the server closes, sending toPeer; with
   * a local 1006 the connection had dropped already (Tomcat still tries to say 1001).
   */
  static final class CloseOut {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object session,
        @Advice.Argument(0) Object toPeer,
        @Advice.Argument(1) Object local) {
      WsBridge.closeOut(session, toPeer, local, System.nanoTime());
    }
  }

  /** {@code WsSession.fireEndpointOnClose}: every way a session ends goes through it, once. */
  static final class Closed {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object session) {
      WsBridge.closed(session, System.nanoTime());
    }
  }
}

package dev.nova.agent.websocket;

import dev.nova.core.bridge.WsBridge;
import net.bytebuddy.asm.Advice;

/**
 * Undertow's JSR-356 sessions (2.2 javax, 2.3 jakarta) and its WebSocket channel, where frames
 * arrive. Typed on {@code Object}: one advice for both APIs.
 */
final class UndertowWebSocketAdvice {
  private UndertowWebSocketAdvice() {}

  /** {@code UndertowSession(channel, uri, ..., EndpointConfig config, ...)}: a session is made. */
  static final class Open {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object session,
        @Advice.Argument(0) Object channel,
        @Advice.Argument(7) Object config) {
      WsBridge.openedOn(channel, session, config, System.nanoTime());
    }
  }

  /** {@code WebSocketChannel.createChannel(header, data)}: once per frame from the peer. */
  static final class FrameIn {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object channel) {
      WsBridge.frameIn(channel, System.nanoTime());
    }
  }

  /** {@code UndertowSession.closeInternal(CloseReason)}: every end goes through it. */
  static final class Ended {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("webSocketChannel") Object channel,
        @Advice.FieldValue("closed") Object closed,
        @Advice.Argument(0) Object reason) {
      WsBridge.endedOn(channel, closed, reason, System.nanoTime());
    }
  }
}

package dev.nova.agent.websocket;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.Hooks;
import dev.nova.agent.InstrumentationModule;

/** WebSocket sessions on Undertow 2 (JSR-356): made, frames in, and their end with its side. */
public final class UndertowWebSocketInstrumentation implements InstrumentationModule {
  static final String WS = "io.undertow.websockets.";

  @Override
  public String name() {
    return "undertow-websocket";
  }

  /** The hooks; all of them or none (an Undertow whose classes Nova does not know). */
  static final Hooks UNDERTOW =
      Hooks.line("undertow-websocket (2)")
          .hook(
              WS + "jsr.UndertowSession",
              isConstructor()
                  .and(takesArgument(0, named(WS + "core.WebSocketChannel")))
                  .and(
                      takesArgument(
                          7,
                          named("jakarta.websocket.EndpointConfig")
                              .or(named("javax.websocket.EndpointConfig")))),
              "UndertowSession(WebSocketChannel, ..., EndpointConfig, ...)",
              UndertowWebSocketAdvice.Open.class)
          .hook(
              WS + "jsr.UndertowSession",
              named("closeInternal").and(takesArguments(1)),
              "closeInternal(CloseReason)",
              UndertowWebSocketAdvice.Ended.class)
          .hook(
              WS + "core.WebSocketChannel",
              named("createChannel")
                  .and(takesArguments(2))
                  .and(returns(named(WS + "core.StreamSourceFrameChannel"))),
              "createChannel(FrameHeaderData, PooledByteBuffer)",
              UndertowWebSocketAdvice.FrameIn.class);

  @Override
  public void hook(Hooking h) {
    h.line(UNDERTOW);
  }
}

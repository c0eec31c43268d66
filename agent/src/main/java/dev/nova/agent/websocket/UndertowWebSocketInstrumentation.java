package dev.nova.agent.websocket;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/** WebSocket sessions on Undertow 2 (JSR-356): made, frames in, and their end with its side. */
public final class UndertowWebSocketInstrumentation implements InstrumentationModule {
  static final String WS = "io.undertow.websockets.";

  @Override
  public String name() {
    return "undertow-websocket";
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder) {
    return builder
        .type(named(WS + "jsr.UndertowSession"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                        Advice.to(UndertowWebSocketAdvice.Open.class)
                            .on(
                                isConstructor()
                                    .and(takesArgument(0, named(WS + "core.WebSocketChannel")))
                                    .and(
                                        takesArgument(
                                            7,
                                            named("jakarta.websocket.EndpointConfig")
                                                .or(named("javax.websocket.EndpointConfig"))))))
                    .visit(
                        Advice.to(UndertowWebSocketAdvice.Ended.class)
                            .on(named("closeInternal").and(takesArguments(1)))))
        .type(named(WS + "core.WebSocketChannel"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(UndertowWebSocketAdvice.FrameIn.class)
                        .on(
                            named("createChannel")
                                .and(takesArguments(2))
                                .and(returns(named(WS + "core.StreamSourceFrameChannel"))))));
  }
}

package dev.nova.agent.websocket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * WebSocket sessions on Jetty 10, 11 and 12 (the core session every API runs on) and on Jetty 9.4
 * (its {@code websocket-common} session and connection).
 */
public final class JettyWebSocketInstrumentation implements InstrumentationModule {
  static final String CORE = "org.eclipse.jetty.websocket.core.";
  static final String COMMON = "org.eclipse.jetty.websocket.common.";

  @Override
  public String name() {
    return "jetty-websocket";
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder) {
    return builder
        .type(
            named(CORE + "WebSocketCoreSession").or(named(CORE + "internal.WebSocketCoreSession")))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                        Advice.to(JettyWebSocketAdvice.Open.class)
                            .on(named("onOpen").and(takesArguments(0))))
                    .visit(
                        Advice.to(JettyWebSocketAdvice.FrameIn.class)
                            .on(
                                named("onFrame")
                                    .and(takesArguments(2))
                                    .and(takesArgument(0, named(CORE + "Frame")))))
                    .visit(
                        Advice.to(JettyWebSocketAdvice.CloseOut.class)
                            .on(
                                named("close")
                                    .and(takesArguments(2))
                                    .and(takesArgument(0, named(CORE + "CloseStatus")))))
                    .visit(
                        Advice.to(JettyWebSocketAdvice.Closed.class)
                            .on(named("closeConnection").and(takesArguments(2)))))
        .type(named(COMMON + "WebSocketSession"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                        Advice.to(JettyWebSocketAdvice.Open.class)
                            .on(named("open").and(takesArguments(0))))
                    .visit(
                        Advice.to(JettyWebSocketAdvice.FrameIn.class)
                            .on(named("incomingFrame").and(takesArguments(1))))
                    .visit(
                        Advice.to(JettyWebSocketAdvice.Closed.class)
                            .on(named("onClosed").and(takesArguments(1)))))
        .type(named(COMMON + "io.AbstractWebSocketConnection"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(JettyWebSocketAdvice.CloseOut94.class)
                        .on(
                            named("close")
                                .and(takesArguments(2))
                                .and(takesArgument(0, named(COMMON + "CloseInfo"))))));
  }
}

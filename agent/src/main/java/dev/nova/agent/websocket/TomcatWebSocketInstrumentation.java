package dev.nova.agent.websocket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * WebSocket sessions on Tomcat 9, 10.1 and 11 (JSR-356, annotated and programmatic endpoints, and
 * Spring's WebSocket support on top of them): opened, frames from the client, close frames either
 * way, and the end, on Tomcat's own classes, matched by name.
 */
public final class TomcatWebSocketInstrumentation implements InstrumentationModule {
  static final String WS = "org.apache.tomcat.websocket.";

  @Override
  public String name() {
    return "tomcat-websocket";
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder) {
    return builder
        .type(named(WS + "server.WsHttpUpgradeHandler"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(TomcatWebSocketAdvice.Open.class)
                        .on(named("init").and(takesArguments(1)))))
        .type(named(WS + "server.WsFrameServer"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(TomcatWebSocketAdvice.FrameIn.class)
                        .on(named("updateStats").and(takesArguments(long.class)))))
        .type(named(WS + "WsSession"))
        .transform(
            (b, type, loader, module, domain) ->
                b.visit(
                        Advice.to(TomcatWebSocketAdvice.CloseIn.class)
                            .on(named("onClose").and(takesArguments(1))))
                    .visit(
                        Advice.to(TomcatWebSocketAdvice.CloseOut.class)
                            .on(named("doClose").and(takesArguments(3))))
                    .visit(
                        Advice.to(TomcatWebSocketAdvice.Closed.class)
                            .on(named("fireEndpointOnClose").and(takesArguments(1)))));
  }
}

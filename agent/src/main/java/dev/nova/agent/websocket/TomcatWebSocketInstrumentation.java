package dev.nova.agent.websocket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.Hooks;
import dev.nova.agent.InstrumentationModule;

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

  /** The hooks; all of them or none (a Tomcat whose classes Nova does not know). */
  static final Hooks TOMCAT =
      Hooks.line("tomcat-websocket (9, 10.1, 11)")
          .hook(
              WS + "server.WsHttpUpgradeHandler",
              named("init").and(takesArguments(1)),
              "init(WebConnection)",
              TomcatWebSocketAdvice.Open.class)
          .hook(
              WS + "server.WsFrameServer",
              named("updateStats").and(takesArguments(long.class)),
              "updateStats(long)",
              TomcatWebSocketAdvice.FrameIn.class)
          .hook(
              WS + "WsSession",
              named("onClose").and(takesArguments(1)),
              "onClose(CloseReason)",
              TomcatWebSocketAdvice.CloseIn.class)
          .hook(
              WS + "WsSession",
              named("doClose").and(takesArguments(3)),
              "doClose(CloseReason, CloseReason, boolean)",
              TomcatWebSocketAdvice.CloseOut.class)
          .hook(
              WS + "WsSession",
              named("fireEndpointOnClose").and(takesArguments(1)),
              "fireEndpointOnClose(CloseReason)",
              TomcatWebSocketAdvice.Closed.class);

  @Override
  public void hook(Hooking h) {
    h.line(TOMCAT);
  }
}

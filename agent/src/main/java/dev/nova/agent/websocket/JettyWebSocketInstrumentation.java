package dev.nova.agent.websocket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.Hooks;
import dev.nova.agent.InstrumentationModule;

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

  /** Jetty 10 to 12's core session (in {@code internal} before 12): all hooks or none. */
  static Hooks core(String line, String session) {
    return Hooks.line(line)
        .hook(
            session,
            named("onOpen").and(takesArguments(0)),
            "onOpen()",
            JettyWebSocketAdvice.Open.class)
        .hook(
            session,
            named("onFrame").and(takesArguments(2)).and(takesArgument(0, named(CORE + "Frame"))),
            "onFrame(Frame, Callback)",
            JettyWebSocketAdvice.FrameIn.class)
        .hook(
            session,
            named("close")
                .and(takesArguments(2))
                .and(takesArgument(0, named(CORE + "CloseStatus"))),
            "close(CloseStatus, Callback)",
            JettyWebSocketAdvice.CloseOut.class)
        .hook(
            session,
            named("closeConnection").and(takesArguments(2)),
            "closeConnection(CloseStatus, Callback)",
            JettyWebSocketAdvice.Closed.class);
  }

  static final Hooks JETTY12 = core("jetty-websocket (12)", CORE + "WebSocketCoreSession");
  static final Hooks JETTY10 =
      core("jetty-websocket (10, 11)", CORE + "internal.WebSocketCoreSession");

  static final Hooks JETTY94 =
      Hooks.line("jetty-websocket (9.4)")
          .hook(
              COMMON + "WebSocketSession",
              named("open").and(takesArguments(0)),
              "open()",
              JettyWebSocketAdvice.Open.class)
          .hook(
              COMMON + "WebSocketSession",
              named("incomingFrame").and(takesArguments(1)),
              "incomingFrame(Frame)",
              JettyWebSocketAdvice.FrameIn.class)
          .hook(
              COMMON + "WebSocketSession",
              named("onClosed").and(takesArguments(1)),
              "onClosed(Throwable)",
              JettyWebSocketAdvice.Closed.class)
          .hook(
              COMMON + "io.AbstractWebSocketConnection",
              named("close")
                  .and(takesArguments(2))
                  .and(takesArgument(0, named(COMMON + "CloseInfo"))),
              "close(CloseInfo, Callback)",
              JettyWebSocketAdvice.CloseOut94.class);

  @Override
  public void hook(Hooking h) {
    h.line(JETTY12).line(JETTY10).line(JETTY94);
  }
}

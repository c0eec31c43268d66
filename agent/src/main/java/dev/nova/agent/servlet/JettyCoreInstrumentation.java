package dev.nova.agent.servlet;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.Hooks;
import dev.nova.agent.InstrumentationModule;
import dev.nova.core.bridge.JettyCoreBridge;
import net.bytebuddy.asm.Advice;

/**
 * HTTP on Jetty 12 (12.0.5 and later) where its requests start, {@code Server.handle(Request,
 * Response, Callback)}: core handlers that are no servlet are counted there, to Jetty's completion
 * of the response; a request that reaches a servlet is handed to the servlet hook (see {@link
 * JettyCoreBridge}).
 */
public final class JettyCoreInstrumentation implements InstrumentationModule {
  static final String SERVER = "org.eclipse.jetty.server.";

  /** The hooks; the first class is Jetty 12's own, so Jetty 9 to 11 are not this line at all. */
  static final Hooks JETTY12 =
      Hooks.line("jetty-http (12.0.5+)")
          .requires(
              SERVER + "internal.HttpChannelState",
              named("getRequest").and(takesArguments(0)),
              "getRequest()")
          .requires(
              SERVER + "Request",
              named("addCompletionListener").and(takesArguments(2)),
              "addCompletionListener(Request, Consumer)")
          .hook(
              SERVER + "Server",
              named("handle")
                  .and(takesArguments(3))
                  .and(takesArgument(0, named(SERVER + "Request")))
                  .and(takesArgument(1, named(SERVER + "Response"))),
              "handle(Request, Response, Callback)",
              Handle.class);

  @Override
  public String name() {
    return "jetty-http";
  }

  @Override
  public void hook(Hooking h) {
    h.line(JETTY12);
  }

  /** Typed on {@code Object}: the agent's loader has no Jetty. */
  static final class Handle {
    private Handle() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object response) {
      JettyCoreBridge.handle(request, response, System.nanoTime());
    }
  }
}

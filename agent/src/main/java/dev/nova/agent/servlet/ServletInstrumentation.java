package dev.nova.agent.servlet;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.Hooks;
import dev.nova.agent.HostAdvice;
import dev.nova.agent.InstrumentationModule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * HTTP on every servlet container, javax and jakarta (Tomcat, Jetty, Undertow, and any other): the
 * outermost {@code Filter.doFilter} or {@code Servlet.service} of a request is where it starts and,
 * unless it went async, ends; a request attribute keeps the rest of its chain, its forwards,
 * includes, error pages and async re-dispatches from counting it again. Gated on the class loader
 * having the servlet API (3.1 or later, read off its class files once per loader) before any
 * hierarchy is matched.
 */
public final class ServletInstrumentation implements InstrumentationModule {
  // by name: the advice is typed on the servlet API, which the agent's own loader does not have
  static final String JAVAX_ADVICE = "dev.nova.agent.servlet.JavaxServletAdvice";
  static final String JAKARTA_ADVICE = "dev.nova.agent.servlet.JakartaServletAdvice";

  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public void hook(Hooking h) {
    api(h, "javax.servlet", JAVAX_ADVICE);
    api(h, "jakarta.servlet", JAKARTA_ADVICE);
  }

  private static void api(Hooking h, String api, String advice) {
    // the gate: this API's entries, and 3.1's ReadListener (Nova reads async ends through 3.0's
    // AsyncListener, but the older APIs have not been tried)
    Hooks gate =
        Hooks.line("servlet (" + api + " 3.1+)")
            .requires(api + ".Filter", named("doFilter").and(takesArguments(3)), "doFilter")
            .requires(api + ".Servlet", named("service").and(takesArguments(2)), "service")
            .requires(api + ".ReadListener", named("onDataAvailable"), "onDataAvailable")
            .requires(api + ".AsyncListener", named("onComplete"), "onComplete");
    // a class that declares one of the two entries itself and is a Filter or a Servlet
    h.declaring(
        named(api + ".Filter").or(named(api + ".Servlet")),
        gate,
        (b, type, loader, module, domain) -> b.visit(HostAdvice.of(advice, loader).on(entry(api))),
        "doFilter",
        "service");
  }

  /** {@code doFilter(ServletRequest, ServletResponse, FilterChain)}, {@code service(req, res)}. */
  private static ElementMatcher.Junction<MethodDescription> entry(String api) {
    return isPublic()
        .and(not(isAbstract()))
        .and(not(isStatic()))
        .and(
            named("doFilter")
                .and(takesArguments(3))
                .and(takesArgument(2, named(api + ".FilterChain")))
                .or(named("service").and(takesArguments(2))))
        .and(takesArgument(0, named(api + ".ServletRequest")))
        .and(takesArgument(1, named(api + ".ServletResponse")));
  }
}

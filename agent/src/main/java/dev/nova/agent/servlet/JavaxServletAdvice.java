package dev.nova.agent.servlet;

import dev.nova.core.bridge.JettyCoreBridge;
import dev.nova.core.bridge.ServletBridge;
import javax.servlet.AsyncListener;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * {@code javax.servlet} (Servlet 3.1 methods only: Jetty 9.4 has no more) on every {@code
 * Filter.doFilter} and {@code Servlet.service}: the outermost call of a request starts Nova's
 * record and, on its way out, ends it, or hands the end to the container's async completion. Kept
 * identical to {@link JakartaServletAdvice} but for the imports.
 */
final class JavaxServletAdvice {
  private JavaxServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.Argument(0) ServletRequest request) {
    if (!(request instanceof HttpServletRequest)
        || request.getAttribute(ServletBridge.KEY) != null) {
      return null;
    }
    Object exchange =
        ServletBridge.start(
            ((HttpServletRequest) request).getMethod(),
            System.nanoTime(),
            request.getClass(),
            request.getAttribute(JettyCoreBridge.KEY));
    if (exchange != null) {
      ServletBridge.protocol(exchange, request.getProtocol());
      request.setAttribute(ServletBridge.KEY, exchange);
    }
    return exchange;
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  static void exit(
      @Advice.Enter Object exchange,
      @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response,
      @Advice.Thrown Throwable thrown) {
    if (exchange == null || !(response instanceof HttpServletResponse)) {
      return;
    }
    HttpServletRequest q = (HttpServletRequest) request;
    HttpServletResponse p = (HttpServletResponse) response;
    if (q.isAsyncStarted()) {
      Object listener =
          ServletBridge.async(
              exchange,
              q.getContextPath(),
              q.getAttribute(ServletBridge.SPRING_PATTERN),
              q.getRequestURI(),
              q.getContentLengthLong(),
              q.getHeader("Upgrade"),
              p,
              AsyncListener.class);
      if (listener != null) {
        q.getAsyncContext().addListener((AsyncListener) listener);
      }
      return;
    }
    // an exception escaping the outermost call is the container's 500 unless an answer is out
    ServletBridge.end(
        exchange,
        q.getContextPath(),
        q.getAttribute(ServletBridge.SPRING_PATTERN),
        q.getRequestURI(),
        thrown != null && !p.isCommitted() ? 500 : p.getStatus(),
        System.nanoTime(),
        q.getContentLengthLong(),
        p.getHeader("Content-Length"),
        q.getHeader("Upgrade"));
  }
}

package dev.nova.core.http.servlet;

import dev.nova.core.Nova;
import dev.nova.core.bridge.ServletBridge;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * HTTP in library mode on a jakarta.servlet container (Tomcat 10+, Jetty 11+, Undertow 2.3, Spring
 * Boot 3): the first filter of the chain, mapped to {@code /*} for every dispatcher type and with
 * async support. It counts each request once, as the agent does (and stands aside when the agent
 * has already counted it): route, status, the real end of async requests, an escaping exception as
 * the 500. {@link NovaJavaxServletFilter} is the same for javax.servlet.
 */
public final class NovaServletFilter implements Filter {
  private final ServletBridge.Sink sink;

  private NovaServletFilter(ServletBridge.Sink sink) {
    this.sink = sink;
  }

  /** The filter for this Nova's HTTP area. */
  public static NovaServletFilter of(Nova nova) {
    return new NovaServletFilter(nova.http().servletSink());
  }

  @Override
  public void init(FilterConfig config) {}

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Object exchange = null;
    if (request instanceof HttpServletRequest q
        && request.getAttribute(ServletBridge.KEY) == null) {
      exchange = ServletBridge.start(sink, q.getMethod(), System.nanoTime(), request.getClass());
      ServletBridge.protocol(exchange, q.getProtocol());
      if (exchange != null) {
        request.setAttribute(ServletBridge.KEY, exchange);
      }
    }
    boolean done = false;
    try {
      chain.doFilter(request, response);
      done = true;
    } finally {
      if (exchange != null && response instanceof HttpServletResponse p) {
        end(exchange, (HttpServletRequest) request, p, !done);
      }
    }
  }

  private void end(Object exchange, HttpServletRequest q, HttpServletResponse p, boolean thrown) {
    try {
      Object pattern = q.getAttribute(ServletBridge.SPRING_PATTERN);
      if (q.isAsyncStarted()) {
        Object listener =
            ServletBridge.async(
                sink,
                exchange,
                q.getContextPath(),
                pattern,
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
      ServletBridge.end(
          sink,
          exchange,
          q.getContextPath(),
          pattern,
          q.getRequestURI(),
          thrown && !p.isCommitted() ? 500 : p.getStatus(),
          System.nanoTime(),
          q.getContentLengthLong(),
          p.getHeader("Content-Length"),
          q.getHeader("Upgrade"));
    } catch (RuntimeException e) {
      // observation never changes what the application did
    }
  }

  @Override
  public void destroy() {}
}

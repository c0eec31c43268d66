package dev.nova.core.http.servlet;

import dev.nova.core.Nova;
import dev.nova.core.bridge.ServletBridge;
import java.io.IOException;
import javax.servlet.AsyncListener;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * HTTP in library mode on a javax.servlet container (Servlet 3.1+: Tomcat 9, Jetty 9.4 and 10,
 * Undertow 2.2, Spring Boot 2): the first filter of the chain, mapped to {@code /*} for every
 * dispatcher type and with async support. It counts each request once, as the agent does (and
 * stands aside when the agent has already counted it): route, status, the real end of async
 * requests, an escaping exception as the 500. {@link NovaServletFilter} is the same for
 * jakarta.servlet.
 */
public final class NovaJavaxServletFilter implements Filter {
  private final ServletBridge.Sink sink;

  private NovaJavaxServletFilter(ServletBridge.Sink sink) {
    this.sink = sink;
  }

  /** The filter for this Nova's HTTP area. */
  public static NovaJavaxServletFilter of(Nova nova) {
    return new NovaJavaxServletFilter(nova.http().servletSink());
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

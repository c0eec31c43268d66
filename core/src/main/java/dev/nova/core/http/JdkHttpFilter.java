package dev.nova.core.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * Observes one context of the JDK's built-in HTTP server: method, route, status, latency (from the
 * request's arrival at the context to the handler's return) and declared lengths. A handler that
 * throws, or returns without sending a response, is counted as reset mid-request: the JDK server
 * then closes the connection without an answer.
 */
final class JdkHttpFilter extends Filter implements dev.nova.core.bridge.HttpServerBridge.Observer {
  private final HttpTracker tracker;
  private volatile boolean announced;

  JdkHttpFilter(HttpTracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public String description() {
    return "Nova request observation";
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    long start = System.nanoTime();
    if (!announced) {
      announced = true; // at the first request: Nova's own listener never gets this far
      tracker.server("JDK HttpServer");
    }
    boolean done = false;
    try {
      chain.doFilter(exchange);
      done = true;
    } finally {
      try {
        int status = exchange.getResponseCode();
        String route = tracker.routes().route(exchange.getRequestURI().getRawPath());
        if (done && status > 0) {
          tracker.record(
              exchange.getRequestMethod(),
              route,
              status,
              System.nanoTime() - start,
              length(exchange.getRequestHeaders().getFirst("Content-Length")),
              known(exchange.getResponseHeaders().getFirst("Content-length")));
        } else if (status > 0) {
          // the handler threw after answering: the answer stands
          tracker.record(
              exchange.getRequestMethod(), route, status, System.nanoTime() - start, 0, -1);
        } else {
          tracker.resetOn(route);
        }
      } catch (RuntimeException ignored) {
        // observation never changes what the host's handler did
      }
    }
  }

  /** The response body's length; -1 when it did not say (chunked). */
  private static long known(String header) {
    return header == null ? -1 : length(header);
  }

  private static long length(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

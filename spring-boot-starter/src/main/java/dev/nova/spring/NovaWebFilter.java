package dev.nova.spring;

import dev.nova.core.Nova;
import dev.nova.core.bridge.ServletBridge;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * HTTP on WebFlux (Reactor Netty, or a servlet container under WebFlux): the first {@code
 * WebFilter}, counting each exchange once when its chain ends, with WebFlux's route template (its
 * {@code HandlerMapping}'s best matching pattern) and its status. An error the chain ends with is
 * answered by WebFlux's exception handlers after every filter: its status is the error's own
 * ({@code ResponseStatusException}) or 500. An exchange the client cancels is not counted.
 */
final class NovaWebFilter implements WebFilter, Ordered {
  static final String PATTERN =
      "org.springframework.web.reactive.HandlerMapping.bestMatchingPattern";

  private final ServletBridge.Sink sink;

  NovaWebFilter(Nova nova) {
    this.sink = nova.http().servletSink();
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest q = exchange.getRequest();
    Object e = ServletBridge.start(sink, q.getMethod().name(), System.nanoTime(), q.getClass());
    if (e == null) {
      return chain.filter(exchange);
    }
    Throwable[] failed = new Throwable[1];
    return chain
        .filter(exchange)
        .doOnError(t -> failed[0] = t)
        .doFinally(signal -> end(e, exchange, signal, failed[0]));
  }

  private void end(Object e, ServerWebExchange exchange, SignalType signal, Throwable failed) {
    if (signal == SignalType.CANCEL) {
      return;
    }
    ServerHttpRequest q = exchange.getRequest();
    ServerHttpResponse p = exchange.getResponse();
    int status;
    if (failed != null) {
      status = failed instanceof ResponseStatusException r ? r.getStatusCode().value() : 500;
    } else {
      HttpStatusCode code = p.getStatusCode();
      status = code == null ? 200 : code.value();
    }
    ServletBridge.end(
        sink,
        e,
        "",
        exchange.getAttribute(PATTERN),
        q.getPath().value(),
        status,
        System.nanoTime(),
        Math.max(0, q.getHeaders().getContentLength()),
        p.getHeaders().getFirst("Content-Length"),
        q.getHeaders().getFirst("Upgrade"));
  }
}

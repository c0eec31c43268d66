package app;

import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

/**
 * A Reactor Netty server written as its reference guide shows: {@code HttpServer.create()}, a
 * route table, HTTP/1.1 and cleartext HTTP/2 on one port ({@code HttpProtocol.H2C}: by prior
 * knowledge or by upgrade). No Nova here. Prints {@code host-ready port=N} once it listens.
 */
public final class ReactorHost {
  private ReactorHost() {}

  public static void main(String[] args) {
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
            .route(
                routes ->
                    routes
                        .get("/hello", (req, res) -> res.sendString(Mono.just("hello")))
                        .get(
                            "/items/{id}",
                            (req, res) -> res.sendString(Mono.just("item " + req.param("id"))))
                        .get("/fail", (req, res) -> res.status(500).sendString(Mono.just("fail")))
                        .get(
                            "/slow",
                            (req, res) ->
                                res.sendString(
                                    Mono.just("late").delayElement(Duration.ofSeconds(30)))))
            .bindNow();
    System.out.println("host-ready port=" + server.port());
    server.onDispose().block();
  }
}

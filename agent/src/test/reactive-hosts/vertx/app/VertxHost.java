package app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A Vert.x core HTTP server written as its documentation shows: {@code createHttpServer} with a
 * request handler, cleartext HTTP/2 on ({@code setHttp2ClearTextEnabled}: by prior knowledge or by
 * upgrade) beside HTTP/1.1. No Nova here. Prints {@code host-ready port=N} once it listens.
 */
public final class VertxHost {
  private VertxHost() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setHost("127.0.0.1")
                    .setPort(0)
                    .setHttp2ClearTextEnabled(true))
            .requestHandler(
                req -> {
                  String path = req.path();
                  if (path.equals("/hello")) {
                    req.response().end("hello");
                  } else if (path.startsWith("/items/")) {
                    req.response().end("item " + path.substring("/items/".length()));
                  } else if (path.equals("/fail")) {
                    req.response().setStatusCode(500).end("fail");
                  } else if (path.equals("/slow")) {
                    vertx.setTimer(30_000, t -> req.response().end("late"));
                  } else {
                    req.response().setStatusCode(404).end();
                  }
                });
    server.listen().toCompletionStage().toCompletableFuture().get();
    System.out.println("host-ready port=" + server.actualPort());
  }
}

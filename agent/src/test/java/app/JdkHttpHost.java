package app;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A JDK built-in HTTP server with no knowledge of Nova: /api/items/<n> (200) and /boom (500). */
public final class JdkHttpHost {
  private JdkHttpHost() {}

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/items",
        ex -> {
          byte[] body = "item".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.createContext(
        "/boom",
        ex -> {
          ex.sendResponseHeaders(500, -1);
          ex.close();
        });
    server.createContext(
        "/metrics",
        ex -> {
          // the host's own metrics endpoint, broken: its exporter fails on every scrape
          ex.sendResponseHeaders(500, -1);
          ex.close();
        });
    server.createContext(
        "/actuator/prometheus",
        ex -> {
          // and a second one that answers, but with nothing in it
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
    System.out.println("host-ready port=" + server.getAddress().getPort());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    server.stop(0);
  }
}

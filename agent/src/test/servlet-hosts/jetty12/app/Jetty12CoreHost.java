package app;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Embedded Jetty 12 with core handlers only, no servlet, as Jetty's programming guide writes one: a
 * {@code Handler.Abstract} in a {@code ContextHandler}; no Nova here. It answers items, fails by
 * throwing, answers one request 300 ms later from another thread, refuses with Jetty's own error
 * page, and declines what it does not serve (Jetty's 404).
 */
public final class Jetty12CoreHost {
  private Jetty12CoreHost() {}

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    // -Dh2c=true: HTTP/1.1 and HTTP/2 in clear text on one connector, as Jetty's documentation has it
    org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
    ServerConnector connector =
        Boolean.getBoolean("h2c")
            ? new ServerConnector(
                server,
                new org.eclipse.jetty.server.HttpConnectionFactory(http),
                new org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory(http))
            : new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new ContextHandler(new Shop(), "/shop"));
    server.start();
    System.out.println("host-ready port=" + connector.getLocalPort());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    server.stop();
  }

  /** The shop's handler. */
  static final class Shop extends Handler.Abstract {
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      if (path.startsWith("/items/")) {
        answer(response, callback, "item " + path.substring("/items/".length()));
        return true;
      }
      switch (path) {
        case "/fail" -> throw new IllegalStateException("the shop failed");
        case "/later" -> {
          later.schedule(() -> answer(response, callback, "later"), 300, TimeUnit.MILLISECONDS);
          return true;
        }
        case "/closed" -> {
          Response.writeError(request, response, callback, 503, "closed for the night");
          return true;
        }
        default -> {
          return false; // not this handler's: Jetty answers 404
        }
      }
    }

    private static void answer(Response response, Callback callback, String text) {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      Content.Sink.write(response, true, new String(body, StandardCharsets.UTF_8), callback);
    }
  }
}

package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.core.Nova;
import dev.nova.core.http.servlet.NovaJavaxServletFilter;
import dev.nova.core.http.servlet.NovaServletFilter;
import dev.nova.testing.Http;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The library's servlet filters, one line in a real container each: jakarta on embedded Tomcat
 * 10.1, javax on embedded Jetty 9.4. Requests, statuses, the async end and the 500 of an exception.
 */
class ServletLibraryTest {
  private Nova nova;
  private Http admin;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() {
    nova = Nova.builder().option("port", "0").start();
    admin = new Http(nova.address().orElseThrow().getPort());
  }

  @AfterEach
  void stop() {
    nova.close();
  }

  @Test
  void theJakartaFilterCountsEveryRequestOnceOnTomcat() throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", new File(".").getAbsolutePath());
    FilterDef def = new FilterDef();
    def.setFilterName("nova");
    def.setFilter(NovaServletFilter.of(nova)); // the one line
    def.setAsyncSupported("true");
    ctx.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("nova");
    map.addURLPattern("/*");
    ctx.addFilterMap(map);
    Tomcat.addServlet(ctx, "orders", new JakartaOrders()).setAsyncSupported(true);
    ctx.addServletMappingDecoded("/orders/*", "orders");
    tomcat.start();
    try {
      drive(connector.getLocalPort(), "Tomcat 10.1.");
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void theJavaxFilterCountsEveryRequestOnceOnJetty() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    FilterHolder filter = new FilterHolder(NovaJavaxServletFilter.of(nova)); // the one line
    filter.setAsyncSupported(true);
    ctx.addFilter(filter, "/*", EnumSet.allOf(javax.servlet.DispatcherType.class));
    ServletHolder orders = new ServletHolder(new JavaxOrders());
    orders.setAsyncSupported(true);
    ctx.addServlet(orders, "/orders/*");
    server.setHandler(ctx);
    server.start();
    try {
      drive(connector.getLocalPort(), "Jetty 9.4.");
    } finally {
      server.stop();
    }
  }

  private void drive(int port, String server) throws Exception {
    for (String p : new String[] {"/orders/1", "/orders/2", "/orders/3", "/orders/boom"}) {
      get(port, p);
    }
    assertThat(get(port, "/orders/async")).isEqualTo(200);
    LibraryHttpTest.waitFor(
        () -> {
          JsonNode h = http();
          return h != null && h.get("requests").asLong() >= 5;
        });
    JsonNode http = http();
    assertThat(http.get("requests").asLong()).isEqualTo(5);
    assertThat(http.get("servers").get(0).asText()).startsWith(server);
    JsonNode ids = LibraryHttpTest.route(http, "/orders/{id}");
    assertThat(ids.get("statuses").get("200").asLong()).isEqualTo(3);
    assertThat(LibraryHttpTest.route(http, "/orders/boom").get("statuses").get("500").asLong())
        .isEqualTo(1);
    assertThat(LibraryHttpTest.route(http, "/orders/async").get("p50Ms").asDouble())
        .isGreaterThanOrEqualTo(200.0);
    assertThat(nova.health().suppressedErrors()).isZero();
  }

  private JsonNode http() {
    return admin.get("/debug/nova").json().get("signals").get("http");
  }

  private int get(int port, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * {@code /orders/<n>} 200, {@code /orders/boom} throws, {@code /orders/async} 200 after 200 ms.
   */
  static final class JakartaOrders extends jakarta.servlet.http.HttpServlet {
    @Override
    protected void doGet(
        jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
        throws java.io.IOException {
      switch (req.getPathInfo()) {
        case "/boom" -> throw new IllegalStateException("no orders today");
        case "/async" -> {
          jakarta.servlet.AsyncContext a = req.startAsync();
          CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(a::complete);
        }
        default -> res.getWriter().write("order");
      }
    }
  }

  /** The same for javax.servlet. */
  static final class JavaxOrders extends javax.servlet.http.HttpServlet {
    @Override
    protected void doGet(
        javax.servlet.http.HttpServletRequest req, javax.servlet.http.HttpServletResponse res)
        throws java.io.IOException {
      switch (req.getPathInfo()) {
        case "/boom" -> throw new IllegalStateException("no orders today");
        case "/async" -> {
          javax.servlet.AsyncContext a = req.startAsync();
          CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(a::complete);
        }
        default -> res.getWriter().write("order");
      }
    }
  }
}

package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plain Spring Boot 3 application ({@code src/it/spring-boot-app}: MVC on Tomcat, JDBC through
 * HikariCP on H2, a WebSocket handler), built by the invoker plugin as its users build it, an
 * executable jar, and started with {@code -javaagent} and nothing else changed.
 */
class SpringBootAgentIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  private static final Pattern STARTED =
      Pattern.compile("Tomcat started on port (?:\\(s\\): )?(\\d+)");

  @TempDir Path tmp;

  @ParameterizedTest
  @MethodSource("dev.nova.agent.Jdks#all")
  void routesAreSpringsTemplatesJdbcAndWebSocketsAreSeenAndACleanRunRaisesNothing(Jdks.Jdk jdk)
      throws Exception {
    Path app = Path.of(System.getProperty("nova.spring.app"));
    assertThat(Files.isRegularFile(app)).as("the invoker plugin built " + app).isTrue();
    try (ForkedJvm jvm =
        ForkedJvm.start(
            jdk.home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=port=0,detect.interval=200ms,portFile="
                    + tmp.resolve("port"),
                "-jar",
                app.toString(),
                "--server.port=0"))) {
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      jvm.await("Spring Boot started", WAIT, () -> STARTED.matcher(jvm.stdout()).find());
      Matcher m = STARTED.matcher(jvm.stdout());
      assertThat(m.find()).isTrue();
      int port = Integer.parseInt(m.group(1));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String[] codes = {"A-1", "A-2", "B-7"};
      for (int i = 0; i < 30; i++) {
        assertThat(get(client, port, "/orders/" + codes[i % 3])).isEqualTo(200);
      }
      assertThat(get(client, port, "/orders/Z-9")).as("no such order").isEqualTo(404);
      jvm.await(
          "31 requests counted",
          WAIT,
          () -> {
            JsonNode h = nova.get("/debug/nova").json().get("signals").get("http");
            return h != null && h.get("requests").asLong() >= 31;
          });
      JsonNode report = nova.get("/debug/nova").json();
      JsonNode http = report.get("signals").get("http");
      assertThat(http.get("requests").asLong()).as(http.toPrettyString()).isEqualTo(31);
      JsonNode orders = NettyAgentIT.route(http, "/orders/{code}");
      assertThat(orders).as("Spring's own template, not the path: " + http).isNotNull();
      assertThat(orders.get("statuses").get("200").asLong()).isEqualTo(30);
      assertThat(orders.get("statuses").get("404").asLong())
          .as("the 404 rendered by Spring Boot's /error is the same request")
          .isEqualTo(1);
      assertThat(NettyAgentIT.route(http, "/error")).isNull();
      assertThat(http.get("servers").get(0).asText()).startsWith("Tomcat 10.1.");
      JsonNode jdbc = report.get("signals").get("jdbc");
      assertThat(jdbc.get("borrowsTotal").asLong())
          .as("its JDBC is still seen")
          .isGreaterThanOrEqualTo(30);
      assertThat(report.get("signals").get("pools").fieldNames().next()).startsWith("HikariPool");
      assertThat(report.get("findings")).as("a clean run raises nothing").isEmpty();

      for (int i = 0; i < 3; i++) {
        assertThat(get(client, port, "/orders/A-1/invoice")).isEqualTo(500);
      }
      jvm.await(
          "the three 500s counted",
          WAIT,
          () -> {
            JsonNode r =
                NettyAgentIT.route(
                    nova.get("/debug/nova").json().get("signals").get("http"),
                    "/orders/{code}/invoice");
            return r != null && r.get("statuses").path("500").asLong() == 3;
          });
      // Spring's WebSocket handler on Tomcat: a session, a message, a close by the client
      ServletAgentIT.Viewer viewer = new ServletAgentIT.Viewer();
      java.net.http.WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), viewer)
              .get(10, java.util.concurrent.TimeUnit.SECONDS);
      jvm.await(
          "one open session on /ws/echo",
          WAIT,
          () ->
              nova.get("/debug/nova")
                      .json()
                      .path("signals")
                      .path("websocket")
                      .path("openByRoute")
                      .path("/ws/echo")
                      .asInt()
                  == 1);
      socket.sendText("hello", true).join();
      socket.sendClose(1000, "bye").join();
      jvm.await(
          "the session closed by the client",
          WAIT,
          () ->
              nova.get("/debug/nova/metrics")
                  .body()
                  .contains("websocket_disconnects_total{code=\"1000\",side=\"client\"} 1"));
      JsonNode agent = nova.get("/debug/nova").json().get("agent");
      assertThat(agent.get("errors").asLong()).as(agent.toPrettyString()).isZero();
    }
  }

  private static int get(HttpClient client, int port, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}

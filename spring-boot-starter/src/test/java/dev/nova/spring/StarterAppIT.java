package dev.nova.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A plain Spring Boot 3.5 and a plain Spring Boot 4 application (web, data-jpa on H2, actuator,
 * security, the Prometheus registry; {@code src/it/boot3-app}, {@code src/it/boot4-app}) with the
 * starter as its one addition, started as a process (on the baseline JDK, and Boot 4 on the newer
 * one too): {@code /actuator/nova} answers the report, a leaked connection is {@code
 * DB_CONNECTION_LEAK} with its frame, HTTP requests are counted exactly, Nova's meters are in
 * {@code /actuator/prometheus}, actions run only for the application's operators, and {@code
 * nova.enabled=false} leaves nothing.
 */
class StarterAppIT {
  @TempDir Path tmp;
  static final Duration WAIT = Duration.ofSeconds(90);

  private static Path app(String name) {
    return Path.of(System.getProperty("nova.apps"), name, "target", "shop.jar");
  }

  /** The application on a free port, with these arguments and environment. */
  private static ForkedJvm start(String app, List<String> args, Map<String, String> env)
      throws Exception {
    return start(app, ForkedJvm.currentJdk(), args, env);
  }

  /** As above, on the JDK at {@code jdk}. */
  private static ForkedJvm start(String app, Path jdk, List<String> args, Map<String, String> env)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("-jar", app(app).toString()));
    cmd.add("--server.port=0");
    cmd.add("--server.address=127.0.0.1");
    cmd.addAll(args);
    return ForkedJvm.start(jdk, cmd, env);
  }

  /** A JDK's feature version, from its {@code release} file ({@code 17}, {@code 25}). */
  private static String feature(Path jdk) throws java.io.IOException {
    for (String line : Files.readAllLines(jdk.resolve("release"))) {
      if (line.startsWith("JAVA_VERSION=")) {
        return line.substring("JAVA_VERSION=".length()).replace("\"", "").split("\\.")[0];
      }
    }
    throw new IllegalStateException("no JAVA_VERSION in " + jdk.resolve("release"));
  }

  /**
   * {@code current}: the JDK running the tests (the baseline, 17); {@code newer}: the newer JDK the
   * build names ({@code nova.newer.jdk}), or the current one, said on stderr, where it is absent.
   */
  private static Path jdk(String which) {
    if (which.equals("current")) {
      return ForkedJvm.currentJdk();
    }
    String newer = System.getProperty("nova.newer.jdk", "");
    if (!newer.isBlank() && Files.isExecutable(Path.of(newer, "bin", "java"))) {
      return Path.of(newer);
    }
    System.err.println("[nova-tests] no newer JDK at '" + newer + "': running on the current one");
    return ForkedJvm.currentJdk();
  }

  private static Http http(ForkedJvm jvm) {
    jvm.awaitStdout("Started ShopApplication", WAIT);
    String line =
        jvm.stdout()
            .lines()
            // "Tomcat started on port 8080 (http)", or on Reactor Netty "Netty started on port"
            .filter(
                l -> l.contains("Tomcat started on port") || l.contains("Netty started on port"))
            .findFirst()
            .orElseThrow();
    return new Http(Integer.parseInt(line.replaceAll(".*port[s(]*\\D*(\\d+).*", "$1")));
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static Http.Answer post(Http shop, String path, String authorization) {
    return post(shop, path, authorization, null);
  }

  /** A POST as Actuator's write operations take one: its parameters as a JSON body. */
  private static Http.Answer post(Http shop, String path, String authorization, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(shop.base() + path))
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return shop.send(b);
  }

  @ParameterizedTest(name = "{0} on the {1} JDK")
  @CsvSource({"boot3-app, current", "boot4-app, current", "boot4-app, newer"})
  void theReportLeaksRequestsMetersAndActionsThroughActuator(String app, String jdk)
      throws Exception {
    try (ForkedJvm jvm =
        start(
            app,
            jdk(jdk),
            List.of("--management.endpoint.nova.access=unrestricted"),
            // Spring's relaxed binding: the environment variable of nova.jdbc.leak-threshold
            Map.of("NOVA_JDBC_LEAKTHRESHOLD", "1s", "NOVA_DETECT_INTERVAL", "200ms"))) {
      Http shop = http(jvm);
      for (int i = 1; i <= 3; i++) {
        assertThat(post(shop, "/items/" + i, null).status()).isEqualTo(200);
      }
      for (int i = 1; i <= 10; i++) {
        assertThat(shop.get("/items/" + (i % 3 + 1)).status()).isEqualTo(200);
      }
      assertThat(shop.get("/items/99").status()).isEqualTo(404);
      assertThat(shop.get("/report").status()).isEqualTo(200);

      JsonNode[] report = new JsonNode[1];
      jvm.await(
          "the leak reported",
          WAIT,
          () -> {
            Http.Answer a = shop.get("/actuator/nova");
            if (a.status() != 200) {
              return false;
            }
            report[0] = a.json();
            for (JsonNode f : report[0].get("findings")) {
              if (f.get("code").asText().equals("DB_CONNECTION_LEAK")) {
                return true;
              }
            }
            return false;
          });
      JsonNode leak = null;
      for (JsonNode f : report[0].get("findings")) {
        if (f.get("code").asText().equals("DB_CONNECTION_LEAK")) {
          leak = f;
        }
      }
      assertThat(leak.toString()).contains("shop.ItemController.report(");
      assertThat(report[0].get("nova").get("mode").asText()).isEqualTo("spring-boot");
      assertThat(report[0].get("signals").get("jvm").get("version").asText())
          .as("the JDK the shop runs on")
          .startsWith(feature(jdk(jdk)) + ".");
      assertThat(report[0].get("nova").get("listening").isNull())
          .as("no admin listener of Nova's own: Actuator is the surface")
          .isTrue();
      JsonNode routes = report[0].get("signals").get("http").get("routes");
      long items = 0;
      for (JsonNode r : routes) {
        if (r.get("route").asText().equals("/items/{id}")) {
          items += r.get("requests").asLong();
        }
      }
      assertThat(items).as(routes.toPrettyString()).isEqualTo(14); // 3 POST, 10 GET, one 404
      assertThat(shop.get("/actuator/nova?format=text").body()).contains("DB_CONNECTION_LEAK");

      String prometheus = shop.get("/actuator/prometheus").body();
      assertThat(prometheus)
          .contains("nova_http_request_duration_seconds_count{")
          .contains("route=\"/items/{id}\"")
          .contains("http_server_requests_seconds_count{"); // the application's own, beside
      promtoolClean(novaFamilies(prometheus));
      JsonNode health = shop.get("/actuator/health").json();
      assertThat(health.get("components").get("nova").get("status").asText())
          .isIn("CRITICAL", "HIGH", "MEDIUM", "LOW");
      assertThat(health.get("status").asText())
          .as("Nova's severities never turn the application's health down")
          .isEqualTo("UP");
      assertThat(shop.get("/actuator/info").json().get("nova").get("mode").asText())
          .isEqualTo("spring-boot");

      // actions: the application's security decides
      assertThat(post(shop, "/actuator/nova/thread-dump", null).status()).isEqualTo(401);
      assertThat(
              post(shop, "/actuator/nova/thread-dump", basic("viewer", "viewer-secret")).status())
          .isEqualTo(403);
      Http.Answer dump =
          post(
              shop,
              "/actuator/nova/thread-dump",
              basic("ops", "ops-secret"),
              "{\"maxDepth\":\"8\"}");
      assertThat(dump.status()).as(dump.body()).isEqualTo(200);
      assertThat(dump.body()).contains("\"threads\"");
      Http.Answer close =
          post(
              shop,
              "/actuator/nova/connection-close-leaked",
              basic("ops", "ops-secret"),
              "{\"olderThan\":\"500ms\"}");
      assertThat(close.status()).as(close.body()).isEqualTo(200);
      assertThat(close.body()).contains("shop.ItemController.report(");

      // the application's Spring cache, trimmed by Nova's cache-trim
      for (int i = 1; i <= 6; i++) {
        assertThat(shop.get("/prices/" + i).status()).isEqualTo(200);
      }
      Http.Answer trim =
          post(
              shop,
              "/actuator/nova/cache-trim",
              basic("ops", "ops-secret"),
              "{\"cache\":\"prices\",\"fraction\":\"0\"}");
      assertThat(trim.status()).as(trim.body()).isEqualTo(200);
      JsonNode trimmed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(trim.body());
      JsonNode prices = trimmed.get("caches").get(0);
      assertThat(prices.get("cache").asText()).as(trimmed.toPrettyString()).isEqualTo("prices");
      assertThat(prices.get("sizeBefore").asInt()).isEqualTo(6);
      assertThat(prices.get("sizeAfter").asInt()).isZero();
    }
  }

  /** Nova's families of an exposition, each with its HELP and TYPE lines. */
  static String novaFamilies(String exposition) {
    StringBuilder b = new StringBuilder();
    for (String line : exposition.split("\n")) {
      String name = line.startsWith("# ") ? line.split(" ", 4)[2] : line;
      if (name.startsWith("nova_")) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * {@code promtool check metrics} (Debian's {@code prometheus}) on Nova's families: required in
   * CI, where .ci/run installs it, and where the machine has it.
   */
  static void promtoolClean(String families) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    boolean required = "true".equals(System.getenv("CI"));
    if (!java.nio.file.Files.isExecutable(promtool)) {
      assertThat(required).as("promtool missing in CI: apt-get install prometheus").isFalse();
      return;
    }
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(families.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).as("lint problems").isBlank();
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot3-app", "boot4-app"})
  void withTheAgentAsWellTheStarterStaysOutAndNothingIsCountedTwice(String app) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "-javaagent:"
                    + System.getProperty("nova.agent.jar")
                    + "=port=0,portFile="
                    + tmp.resolve("port"),
                "-jar",
                app(app).toString(),
                "--server.port=0",
                "--server.address=127.0.0.1"));
    try (ForkedJvm jvm = ForkedJvm.start(ForkedJvm.currentJdk(), cmd, Map.of())) {
      Http shop = http(jvm);
      Http agent = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      assertThat(post(shop, "/items/1", null).status()).isEqualTo(200);
      for (int i = 0; i < 7; i++) {
        assertThat(shop.get("/items/1").status()).isEqualTo(200);
      }
      long[] counted = new long[1];
      jvm.await(
          "eight requests counted by the agent",
          WAIT,
          () -> {
            JsonNode http = agent.get("/debug/nova").json().path("signals").path("http");
            counted[0] = 0;
            for (JsonNode r : http.path("routes")) {
              if (r.get("route").asText().equals("/items/{id}")) {
                counted[0] += r.get("requests").asLong();
              }
            }
            return counted[0] >= 8;
          });
      assertThat(counted[0]).as("once, by the agent").isEqualTo(8);
      assertThat(shop.get("/actuator/nova").status()).as("the starter stayed out").isEqualTo(404);
      assertThat(shop.get("/actuator/prometheus").body()).doesNotContain("nova_");
      assertThat(agent.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }

  /**
   * The shop's Spring WebSocket handler ({@code /ws/chat}) and its JSR-356 endpoint ({@code
   * /ws/ticker}), each with real clients (the JDK's): sessions open per route, the closes by code
   * and side, and {@code ws-close-idle} through Actuator.
   */
  @ParameterizedTest
  @ValueSource(strings = {"boot3-app", "boot4-app"})
  void webSocketSessionsOfSpringAndJsr356AreTrackedPerRoute(String app) throws Exception {
    try (ForkedJvm jvm =
        start(app, List.of("--management.endpoint.nova.access=unrestricted"), Map.of())) {
      Http shop = http(jvm);
      Viewer ticker = Viewer.open(shop, "/ws/ticker");
      jvm.await(
          "the ticker session open",
          WAIT,
          () -> websocket(shop).path("openByRoute").path("/ws/ticker").asInt() == 1);
      assertThat(ticker.say("x")).isEqualTo("tick x");
      ticker.socket.sendClose(1000, "done").join();
      jvm.await(
          "the ticker session closed by the client",
          WAIT,
          () ->
              shop.get("/actuator/prometheus")
                  .body()
                  .contains("websocket_disconnects_total{code=\"1000\",side=\"client\"} 1"));
      chatSessionsAreTracked(jvm, shop, basic("ops", "ops-secret"));
    }
  }

  /**
   * Three viewers on the shop's {@code /ws/chat}: one leaves (the client's 1000), one says "bye"
   * (the server's own 4001), and {@code ws-close-idle} through Actuator closes the idle one (the
   * server's 1001), each counted once by code and side beside what was counted before.
   */
  private static void chatSessionsAreTracked(ForkedJvm jvm, Http shop, String operator)
      throws Exception {
    long clientBefore = disconnects(shop, "1000", "client");
    Viewer leaving = Viewer.open(shop, "/ws/chat");
    Viewer sentOff = Viewer.open(shop, "/ws/chat");
    Viewer idle = Viewer.open(shop, "/ws/chat");
    jvm.await(
        "three chat sessions open",
        WAIT,
        () -> websocket(shop).path("openByRoute").path("/ws/chat").asInt() == 3);
    assertThat(leaving.say("hi")).isEqualTo("echo hi");
    leaving.socket.sendClose(1000, "done").join();
    sentOff.socket.sendText("bye", true).join();
    assertThat(sentOff.closedWith.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4001);
    jvm.await(
        "the client's close and the server's counted",
        WAIT,
        () ->
            disconnects(shop, "1000", "client") == clientBefore + 1
                && disconnects(shop, "4001", "server") == 1);
    JsonNode open = websocket(shop).path("openByRoute");
    assertThat(open.path("/ws/chat").asInt()).as(open.toString()).isEqualTo(1);

    Http.Answer closed =
        post(
            shop,
            "/actuator/nova/ws-close-idle",
            operator,
            "{\"olderThan\":\"1ms\",\"route\":\"/ws/chat\"}");
    assertThat(closed.status()).as(closed.body()).isEqualTo(200);
    assertThat(closed.json().get("closed").asInt()).as(closed.body()).isEqualTo(1);
    assertThat(idle.closedWith.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1001);
    jvm.await(
        "the idle session closed by the server",
        WAIT,
        () -> disconnects(shop, "1001", "server") == 1);
    assertThat(disconnects(shop, "1000", "client")).isEqualTo(clientBefore + 1);
    assertThat(websocket(shop).path("openByRoute").path("/ws/chat").asInt()).isZero();
  }

  /** {@code websocket_disconnects_total} of this code and side in {@code /actuator/prometheus}. */
  private static long disconnects(Http shop, String code, String side) {
    String series = "websocket_disconnects_total{code=\"" + code + "\",side=\"" + side + "\"} ";
    for (String line : shop.get("/actuator/prometheus").body().split("\n")) {
      if (line.startsWith(series)) {
        return (long) Double.parseDouble(line.substring(series.length()).trim());
      }
    }
    return 0;
  }

  private static JsonNode websocket(Http shop) {
    return shop.get("/actuator/nova").json().path("signals").path("websocket");
  }

  /** A viewer: the JDK's WebSocket client, with the replies and the close code it was sent. */
  static final class Viewer implements java.net.http.WebSocket.Listener {
    java.net.http.WebSocket socket;
    final java.util.concurrent.BlockingQueue<String> replies =
        new java.util.concurrent.LinkedBlockingQueue<>();
    final java.util.concurrent.CompletableFuture<Integer> closedWith =
        new java.util.concurrent.CompletableFuture<>();

    static Viewer open(Http shop, String path) throws Exception {
      Viewer v = new Viewer();
      v.socket =
          java.net.http.HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create(shop.base().replace("http:", "ws:") + path), v)
              .get(10, java.util.concurrent.TimeUnit.SECONDS);
      return v;
    }

    String say(String text) throws Exception {
      socket.sendText(text, true).join();
      return replies.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onText(
        java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
      replies.add(data.toString());
      webSocket.request(1);
      return null;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onClose(
        java.net.http.WebSocket webSocket, int statusCode, String reason) {
      closedWith.complete(statusCode);
      return null;
    }

    @Override
    public void onError(java.net.http.WebSocket webSocket, Throwable error) {
      closedWith.completeExceptionally(error);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot3-webflux-app", "boot4-webflux-app"})
  void aWebFluxApplicationOnReactorNettyIsCountedOnceWithItsRoutes(String app) throws Exception {
    try (ForkedJvm jvm =
        start(app, List.of("--management.endpoint.nova.access=unrestricted"), Map.of())) {
      Http shop = http(jvm);
      for (int i = 1; i <= 10; i++) {
        assertThat(shop.get("/items/" + i).status()).isEqualTo(200);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(shop.get("/items/999").status()).isEqualTo(404);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(shop.get("/fail").status()).isEqualTo(500);
      }
      JsonNode[] http = new JsonNode[1];
      jvm.await(
          "fifteen requests counted",
          WAIT,
          () -> {
            http[0] = shop.get("/actuator/nova").json().path("signals").path("http");
            return requests(http[0], "/items/{id}") + requests(http[0], "/fail") >= 15;
          });
      assertThat(requests(http[0], "/items/{id}")).as(http[0].toPrettyString()).isEqualTo(12);
      assertThat(requests(http[0], "/fail")).isEqualTo(3);
      String prometheus = shop.get("/actuator/prometheus").body();
      assertThat(prometheus)
          .containsPattern(
              "nova_http_request_duration_seconds_count\\{method=\"GET\",protocol=\"http/1.1\","
                  + "route=\"/items/\\{id\\}\",status=\"404\",?\\} 2")
          .containsPattern(
              "nova_http_request_duration_seconds_count\\{method=\"GET\",protocol=\"http/1.1\","
                  + "route=\"/fail\",status=\"500\",?\\} 3");
      promtoolClean(novaFamilies(prometheus));
      chatSessionsAreTracked(jvm, shop, null);
    }
  }

  private static long requests(JsonNode http, String route) {
    for (JsonNode r : http.path("routes")) {
      if (r.get("route").asText().equals(route)) {
        return r.get("requests").asLong();
      }
    }
    return 0;
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot3-app", "boot4-app"})
  void actionsAreOffUnlessTheApplicationGrantsThem(String app) throws Exception {
    try (ForkedJvm jvm = start(app, List.of(), Map.of())) {
      Http shop = http(jvm);
      assertThat(shop.get("/actuator/nova").status()).isEqualTo(200);
      Http.Answer a = post(shop, "/actuator/nova/thread-dump", basic("ops", "ops-secret"), "{}");
      assertThat(a.status())
          .as("read-only by default, as Spring Boot keeps heapdump")
          .isIn(404, 405);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot3-app", "boot4-app"})
  void disabledLeavesNoTrace(String app) throws Exception {
    try (ForkedJvm jvm = start(app, List.of("--nova.enabled=false"), Map.of())) {
      Http shop = http(jvm);
      assertThat(shop.get("/items/1").status()).isEqualTo(404);
      assertThat(shop.get("/actuator/nova").status()).isEqualTo(404);
      assertThat(shop.get("/actuator/prometheus").body()).doesNotContain("nova_");
      assertThat(shop.get("/actuator/health").json().get("components").has("nova")).isFalse();
      assertThat(shop.get("/actuator/health/nova-diagnosis").status()).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot3-app", "boot4-app"})
  void aSaturatedTaskExecutorIsReportedWithWhatItsWorkersDo(String app) throws Exception {
    try (ForkedJvm jvm =
        start(
            app,
            List.of(
                "--spring.task.execution.pool.core-size=2",
                "--nova.executor.window=1s",
                "--nova.detect.interval=200ms"),
            Map.of())) {
      Http shop = http(jvm);
      JsonNode group = shop.get("/actuator/health/nova-diagnosis").json();
      assertThat(group.get("status").asText()).as(group.toString()).isEqualTo("UP");
      assertThat(group.get("components").size()).isEqualTo(1);
      assertThat(group.get("components").get("nova").get("status").asText()).isEqualTo("UP");

      assertThat(post(shop, "/exports?count=5", null).body()).isEqualTo("started 5");
      JsonNode[] found = new JsonNode[1];
      jvm.await(
          "the executor saturated",
          WAIT,
          () -> {
            for (JsonNode f : shop.get("/actuator/nova").json().get("findings")) {
              if (f.get("code").asText().equals("EXECUTOR_SATURATED")) {
                found[0] = f;
                return true;
              }
            }
            return false;
          });
      JsonNode f = found[0];
      JsonNode e = f.get("evidence");
      assertThat(e.get("executor").asText()).as(f.toString()).isEqualTo("applicationTaskExecutor");
      assertThat(e.get("active").asInt()).isEqualTo(2);
      assertThat(e.get("queued").asInt()).isEqualTo(3);
      assertThat(e.get("queueRemaining").asText()).isEqualTo("unbounded");
      assertThat(e.get("threadPrefix").asText()).isEqualTo("task-");
      assertThat(e.get("workers").get(0).get("threads").asInt()).isEqualTo(2);
      assertThat(f.get("where").asText()).startsWith("shop.Exports$Builder.build(");
      JsonNode pools = shop.get("/actuator/nova").json().get("signals").get("executors");
      assertThat(pools.get("applicationTaskExecutor").get("queued").asInt()).isEqualTo(3);

      // the nova-diagnosis group: the component's severity as its own status
      Http.Answer g = shop.get("/actuator/health/nova-diagnosis");
      String status = g.json().get("status").asText();
      assertThat(status).isIn("HIGH", "MEDIUM");
      assertThat(g.json().get("components").get("nova").get("status").asText()).isEqualTo(status);
      assertThat(g.status()).as("only CRITICAL answers 503").isEqualTo(200);
      assertThat(shop.get("/actuator/health").json().get("status").asText()).isEqualTo("UP");

      assertThat(post(shop, "/exports/feed", null).status()).isEqualTo(200);
      jvm.await(
          "the queue drained",
          WAIT,
          () ->
              shop.get("/actuator/nova")
                      .json()
                      .get("signals")
                      .get("executors")
                      .get("applicationTaskExecutor")
                      .get("active")
                      .asInt()
                  == 0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"boot3-app", "boot4-app"})
  void theHealthIndicatorIsSwitchedOffAsActuatorsOwnAre(String app) throws Exception {
    try (ForkedJvm jvm = start(app, List.of("--management.health.nova.enabled=false"), Map.of())) {
      Http shop = http(jvm);
      assertThat(shop.get("/actuator/health").json().get("components").has("nova")).isFalse();
      assertThat(shop.get("/actuator/health/nova-diagnosis").status()).isEqualTo(404);
      assertThat(shop.get("/actuator/nova").status()).as("the rest of Nova stays").isEqualTo(200);
    }
  }
}

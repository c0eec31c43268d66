package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runbook scenario 1 through the agent on real servlet containers from Maven Central, each embedded
 * the way its documentation shows and serving the same small shop ({@code src/test/servlet-hosts},
 * compiled here against that container's jars): a filter chain, a forward, an include, an error
 * page, an async servlet completed later on another thread and an exception. Every request is
 * counted once, with its route, its status and its real duration.
 */
class ServletAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "servlet-token";

  /** One container: its jars' folder, its servlet API and its host's main class. */
  record Container(
      String name, String jars, String api, String hostDir, String main, String server) {
    /** The version lines of the agent's hooks this container's classes must be hooked by. */
    List<String> lines() {
      String ws =
          switch (jars) {
            case "jetty9" -> "jetty-websocket (9.4)";
            case "jetty12" -> "jetty-websocket (12)";
            case "undertow" -> "undertow-websocket (2)";
            default -> "tomcat-websocket (9, 10.1, 11)";
          };
      return jars.equals("jetty12")
          ? List.of("servlet (" + api + ".servlet 3.1+)", ws, "jetty-http (12.0.5+)")
          : List.of("servlet (" + api + ".servlet 3.1+)", ws);
    }

    /** The hosts that serve {@code RoomEndpoint} too (JSR-356): all of them. */
    boolean webSocket() {
      return true;
    }

    /**
     * Tomcat before 11 keeps {@code setContentLength} out of {@code getHeader("Content-Length")},
     * the one portable way to read it: bytes out are 0 there (README, Known limits).
     */
    boolean declaresLengthAsHeader() {
      return !jars.equals("tomcat9") && !jars.equals("tomcat10");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Container> CONTAINERS =
      List.of(
          new Container("Tomcat 9", "tomcat9", "javax", "tomcat", "app.TomcatHost", "Tomcat 9."),
          new Container(
              "Tomcat 10.1", "tomcat10", "jakarta", "tomcat", "app.TomcatHost", "Tomcat 10.1."),
          new Container(
              "Tomcat 11", "tomcat11", "jakarta", "tomcat", "app.TomcatHost", "Tomcat 11."),
          new Container("Jetty 9.4", "jetty9", "javax", "jetty9", "app.Jetty9Host", "Jetty 9.4."),
          new Container(
              "Jetty 12 ee10", "jetty12", "jakarta", "jetty12", "app.Jetty12Host", "Jetty 12."),
          new Container(
              "Undertow 2.3",
              "undertow",
              "jakarta",
              "undertow",
              "app.UndertowHost",
              "Undertow 2.3."));

  static Stream<Arguments> containersAndJdks() {
    List<Arguments> out = new ArrayList<>();
    for (Jdks.Jdk jdk : Jdks.all()) {
      for (Container c : CONTAINERS) {
        out.add(Arguments.of(c, jdk));
      }
    }
    return out.stream();
  }

  private static final Map<String, Path> COMPILED = new ConcurrentHashMap<>();
  @TempDir static Path hosts;
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("containersAndJdks")
  void everyRequestIsCountedOnceWithItsRouteStatusAndRealEnd(Container c, Jdks.Jdk jdk)
      throws Exception {
    try (ForkedJvm jvm = host(c, jdk, "")) {
      int port = hostPort(jvm);
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 1; i <= 20; i++) {
        assertThat(get(client, port, "/api/items/" + i)).isEqualTo(200);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(get(client, port, "/api/items/0"))
            .as("sendError, then the error page")
            .isEqualTo(404);
      }
      for (int i = 0; i < 4; i++) {
        assertThat(get(client, port, "/boom")).isEqualTo(500);
      }
      for (int i = 1; i <= 5; i++) {
        assertThat(get(client, port, "/forward/" + i)).isEqualTo(200);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(get(client, port, "/include")).isEqualTo(200);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(get(client, port, "/async")).isEqualTo(200);
      }
      assertThat(get(client, port, "/async?timeout"))
          .as("an async request nobody completes: the container's timeout")
          .isEqualTo(500);
      assertThat(get(client, port, "/async?dispatch"))
          .as("dispatched to the items servlet")
          .isEqualTo(200);
      // the outermost call returns before the client has read its answer, or after: wait for all
      jvm.await(
          "39 requests counted",
          WAIT,
          () -> {
            JsonNode h = http(nova);
            return h != null && h.get("requests").asLong() >= 39;
          });
      JsonNode http = http(nova);
      assertThat(http.get("requests").asLong()).as(http.toPrettyString()).isEqualTo(39);
      JsonNode items = NettyAgentIT.route(http, "/api/items/{id}");
      assertThat(items.get("requests").asLong()).isEqualTo(23);
      assertThat(items.get("statuses").get("200").asLong()).isEqualTo(20);
      assertThat(items.get("statuses").get("404").asLong()).isEqualTo(3);
      if (c.declaresLengthAsHeader()) {
        assertThat(items.get("bytesOut").asLong()).as("declared lengths").isPositive();
      }
      JsonNode boom = NettyAgentIT.route(http, "/boom");
      assertThat(boom.get("statuses").get("500").asLong())
          .as("the exception is the 500")
          .isEqualTo(4);
      JsonNode forward = NettyAgentIT.route(http, "/forward/{id}");
      assertThat(forward.get("requests").asLong()).isEqualTo(5);
      assertThat(forward.get("statuses").get("200").asLong()).isEqualTo(5);
      assertThat(NettyAgentIT.route(http, "/include").get("requests").asLong()).isEqualTo(2);
      JsonNode async = NettyAgentIT.route(http, "/async");
      assertThat(async.get("requests").asLong())
          .as("the re-dispatch is the same request")
          .isEqualTo(5);
      assertThat(async.get("statuses").get("200").asLong()).isEqualTo(4);
      assertThat(async.get("statuses").get("500").asLong()).as("the timeout").isEqualTo(1);
      assertThat(async.get("p50Ms").asDouble())
          .as("ends when the AsyncContext completes, not when service returns")
          .isBetween(290.0, 5_000.0);
      assertThat(NettyAgentIT.route(http, "/error-page"))
          .as("the error page is the same request")
          .isNull();
      assertThat(NettyAgentIT.route(http, "/debug/nova")).isNull();
      assertThat(nova.get("/debug/nova/metrics").body())
          .contains(
              "nova_http_request_duration_seconds_count{method=\"GET\",protocol=\"http/1.1\","
                  + "route=\"/boom\",status=\"500\"} 4")
          .contains(
              "nova_http_errors_total{protocol=\"http/1.1\",route=\"/boom\",status=\"500\"} 4");
      // 5 of 39 answered 5xx: 12.8%, the runbook's HIGH band. The detectors ran during the
      // traffic too (a round between the first two 500s saw 1 in 24, MEDIUM), and a report shows
      // the last round's findings: judge the round that saw all 39
      JsonNode f =
          NettyAgentIT.awaitFinding(
              jvm, nova, "HTTP_ERROR_RATE", g -> g.get("evidence").get("requests").asLong() == 39);
      assertThat(f.get("severity").asText()).isEqualTo("HIGH");
      JsonNode agent = nova.get("/debug/nova").json().get("agent");
      assertThat(agent.get("errors").asLong()).as(agent.toPrettyString()).isZero();
      assertThat(agent.get("instrumentation").get("modules").toString()).contains("servlet");
      assertThat(agent.get("instrumentation").get("servers").get(0).asText())
          .as("the server family found in this JVM")
          .startsWith(c.server());
      assertThat(http.get("servers").get(0).asText()).startsWith(c.server());
      jvm.closeStdin();
    }
  }

  static Stream<Arguments> webSocketContainersAndJdks() {
    return containersAndJdks().filter(a -> ((Container) a.get()[0]).webSocket());
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("webSocketContainersAndJdks")
  void webSocketSessionsAreCountedWithEveryCloseCodeAndSide(Container c, Jdks.Jdk jdk)
      throws Exception {
    try (ForkedJvm jvm = host(c, jdk, "ws.idle=3s,")) {
      int port = hostPort(jvm);
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      HttpClient client = HttpClient.newHttpClient();
      int n = 200;
      List<Viewer> viewers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Viewer v = new Viewer();
        v.socket =
            client
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/rooms/" + (i % 5)), v)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        viewers.add(v);
      }
      jvm.await("200 open sessions", WAIT, () -> ws(nova).path("openSessions").asInt() == n);
      JsonNode libraries =
          nova.get("/debug/nova").json().get("agent").get("instrumentation").get("libraries");
      for (String line : c.lines()) {
        assertThat(libraries.path(line).asText()).as(libraries.toString()).isEqualTo("hooked");
      }
      assertThat(libraries.toString()).as("nothing skipped").doesNotContain("skipped");
      JsonNode open = ws(nova);
      assertThat(open.get("openByRoute").get("/ws/rooms/{room}").asInt())
          .as("the endpoint's path template is the route")
          .isEqualTo(n);
      // an upgrade to a path no endpoint serves: refused with the container's 404
      assertThat(refusal(client, port, "/ws/nowhere")).isEqualTo(404);
      jvm.await(
          "the refused upgrade",
          WAIT,
          () -> ws(nova).path("refusedUpgradesLastMinute").path("404").asInt() == 1);
      for (int i = 0; i < 50; i++) {
        viewers.get(i).socket.sendClose(4000, "leaving").join(); // the client closes
      }
      for (int i = 50; i < 100; i++) {
        viewers.get(i).socket.abort(); // the connection drops: no close frame
      }
      for (int i = 100; i < 150; i++) {
        viewers.get(i).socket.sendText("kick-me", true).join(); // the server closes, 4001
      }
      jvm.await("50 left open", WAIT, () -> ws(nova).path("openSessions").asInt() == 50);
      String metrics = nova.get("/debug/nova/metrics").body();
      assertThat(metrics)
          .contains("websocket_disconnects_total{code=\"4000\",side=\"client\"} 50")
          .contains("websocket_disconnects_total{code=\"1006\",side=\"abnormal\"} 50")
          .contains("websocket_disconnects_total{code=\"4001\",side=\"server\"} 50");
      // the last 50 said nothing since they opened: idle past ws.idle=3s
      JsonNode leak =
          NettyAgentIT.awaitFinding(
              jvm,
              nova,
              "WS_SESSION_LEAK",
              f -> f.get("evidence").get("idleSessions").asInt() == 50);
      assertThat(leak.get("severity").asText()).as("50 of 50 open").isEqualTo("HIGH");
      Http.Answer closed = nova.post("/debug/nova/actions/ws-close-idle?olderThan=1s", TOKEN);
      assertThat(closed.status()).isEqualTo(200);
      assertThat(closed.json().get("closed").asInt()).isEqualTo(50);
      jvm.await("all closed", WAIT, () -> ws(nova).path("openSessions").asInt() == 0);
      for (int i = 150; i < n; i++) {
        assertThat(viewers.get(i).closedWith.get(10, java.util.concurrent.TimeUnit.SECONDS))
            .isEqualTo(1001);
      }
      assertThat(nova.get("/debug/nova/metrics").body())
          .contains("websocket_disconnects_total{code=\"1001\",side=\"server\"} 50");
      JsonNode agent = nova.get("/debug/nova").json().get("agent");
      assertThat(agent.get("errors").asLong()).as(agent.toPrettyString()).isZero();
      jvm.closeStdin();
    }
  }

  /** Jetty 12 with core handlers and no servlet: counted at Jetty's server, to its completion. */
  static final Container JETTY12_CORE =
      new Container(
          "Jetty 12 core", "jetty12", "jakarta", "jetty12", "app.Jetty12CoreHost", "Jetty 12.");

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.nova.agent.Jdks#all")
  void jetty12CoreHandlersAreCountedToJettysCompletionOfTheResponse(Jdks.Jdk jdk) throws Exception {
    try (ForkedJvm jvm = host(JETTY12_CORE, jdk, "")) {
      int port = hostPort(jvm);
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 1; i <= 20; i++) {
        assertThat(get(client, port, "/shop/items/" + i)).isEqualTo(200);
      }
      for (int i = 0; i < 3; i++) {
        assertThat(get(client, port, "/shop/fail")).as("a handler that throws").isEqualTo(500);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(get(client, port, "/shop/later")).isEqualTo(200);
      }
      assertThat(get(client, port, "/shop/closed")).isEqualTo(503);
      for (int i = 0; i < 2; i++) {
        assertThat(get(client, port, "/shop/nothing-here")).isEqualTo(404);
      }
      assertThat(get(client, port, "/elsewhere")).as("no context: Jetty's 404").isEqualTo(404);
      jvm.await(
          "29 requests counted",
          WAIT,
          () -> {
            JsonNode h = http(nova);
            return h != null && h.get("requests").asLong() >= 29;
          });
      JsonNode http = http(nova);
      assertThat(http.get("requests").asLong()).as(http.toPrettyString()).isEqualTo(29);
      JsonNode items = NettyAgentIT.route(http, "/shop/items/{id}");
      assertThat(items.get("statuses").get("200").asLong()).isEqualTo(20);
      assertThat(items.get("bytesOut").asLong()).as("declared lengths").isPositive();
      assertThat(NettyAgentIT.route(http, "/shop/fail").get("statuses").get("500").asLong())
          .isEqualTo(3);
      JsonNode later = NettyAgentIT.route(http, "/shop/later");
      assertThat(later.get("requests").asLong()).isEqualTo(2);
      assertThat(later.get("p50Ms").asDouble())
          .as("ends when the callback completes, not when handle returns")
          .isBetween(290.0, 5_000.0);
      assertThat(NettyAgentIT.route(http, "/shop/closed").get("statuses").get("503").asLong())
          .isEqualTo(1);
      assertThat(NettyAgentIT.route(http, "/shop/nothing-here").get("statuses").get("404").asLong())
          .isEqualTo(2);
      assertThat(http.get("servers").get(0).asText()).startsWith("Jetty 12.");
      JsonNode agent = nova.get("/debug/nova").json().get("agent");
      assertThat(agent.get("errors").asLong()).as(agent.toPrettyString()).isZero();
      assertThat(
              agent.get("instrumentation").get("libraries").path("jetty-http (12.0.5+)").asText())
          .isEqualTo("hooked");
      // 4 of 29 answered 5xx: 13.8%, the runbook's HIGH band. The detectors ran during the
      // traffic too (a round between the first two failures saw 1 in 21, MEDIUM), and a report
      // shows the last round's findings: judge the round that saw all 29
      JsonNode f =
          NettyAgentIT.awaitFinding(
              jvm, nova, "HTTP_ERROR_RATE", g -> g.get("evidence").get("requests").asLong() == 29);
      assertThat(f.get("severity").asText()).isEqualTo("HIGH");
      jvm.closeStdin();
    }
  }

  /** The status an upgrade was refused with, or 101 when it was not refused. */
  private static int refusal(HttpClient client, int port, String path) throws Exception {
    try {
      client
          .newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new Viewer())
          .get(10, java.util.concurrent.TimeUnit.SECONDS)
          .abort();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }

  /** A viewer: the JDK's WebSocket client, remembering the close code the server sent. */
  static final class Viewer implements java.net.http.WebSocket.Listener {
    java.net.http.WebSocket socket;
    final java.util.concurrent.CompletableFuture<Integer> closedWith =
        new java.util.concurrent.CompletableFuture<>();

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

  private static JsonNode ws(Http nova) {
    JsonNode w = nova.get("/debug/nova").json().get("signals").get("websocket");
    return w == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : w;
  }

  /** The container's host, forked on {@code jdk} with the agent and these extra options. */
  private ForkedJvm host(Container c, Jdks.Jdk jdk, String options) throws IOException {
    return host(c, jdk, options, List.of());
  }

  private ForkedJvm host(Container c, Jdks.Jdk jdk, String options, List<String> jvm)
      throws IOException {
    List<String> args = new ArrayList<>(jvm);
    args.addAll(
        List.of(
            "-javaagent:"
                + Jdks.agentJar()
                + "=token="
                + TOKEN
                + ",port=0,detect.interval=200ms,"
                + options
                + "portFile="
                + tmp.resolve("port"),
            "-cp",
            classPath(c),
            c.main()));
    return ForkedJvm.start(jdk.home(), args);
  }

  static Stream<Container> tomcats() {
    return CONTAINERS.stream().filter(c -> c.main().equals("app.TomcatHost"));
  }

  /**
   * Runbook scenario 1's "every request thread busy": Tomcat's own request pool (its fork of the
   * JDK's {@code ThreadPoolExecutor}) found as the connector makes it, and with {@code maxThreads}
   * 2 and five requests held on their threads it is {@code EXECUTOR_SATURATED}: 2 busy, 3 queued,
   * the busy workers' stacks at the servlet that holds them. Let go, all five are answered.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("tomcats")
  void tomcatsRequestPoolSaturatedNamesWhatItsWorkersDo(Container c) throws Exception {
    try (ForkedJvm jvm =
        host(c, Jdks.all().get(0), "executor.window=1s,", List.of("-DmaxThreads=2"))) {
      int port = hostPort(jvm);
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        held.add(
            client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold")).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      JsonNode[] found = new JsonNode[1];
      jvm.await(
          "EXECUTOR_SATURATED with its workers",
          WAIT,
          () -> {
            for (JsonNode f : nova.get("/debug/nova").json().get("findings")) {
              if (f.get("code").asText().equals("EXECUTOR_SATURATED")
                  && f.get("evidence").get("queued").asInt() == 3) {
                found[0] = f;
                return true;
              }
            }
            return false;
          });
      JsonNode e = found[0].get("evidence");
      assertThat(e.get("executor").asText())
          .as(found[0].toPrettyString())
          .startsWith("org.apache.tomcat.util.net.AbstractEndpoint.createExecutor(");
      assertThat(e.get("active").asInt()).isEqualTo(2);
      assertThat(e.get("maxSize").asInt()).isEqualTo(2);
      assertThat(e.get("workerClass").asText())
          .isEqualTo("org.apache.tomcat.util.threads.ThreadPoolExecutor");
      assertThat(e.get("workers").get(0).get("threads").asInt()).isEqualTo(2);
      assertThat(e.get("workers").toString()).contains("app.ShopServlets$Hold.doGet(");
      assertThat(found[0].get("where").asText()).startsWith("app.ShopServlets$Hold.doGet(");

      jvm.process().getOutputStream().write('r');
      jvm.process().getOutputStream().flush();
      for (var r : held) {
        HttpResponse<String> answer = r.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("held");
      }
    }
  }

  static Stream<Container> h2cContainers() {
    return CONTAINERS.stream()
        .filter(
            c ->
                c.name().equals("Tomcat 11")
                    || c.name().equals("Jetty 12 ee10")
                    || c.name().equals("Undertow 2.3"));
  }

  /**
   * h2c on a servlet container (its own HTTP/2, turned on as its documentation says): each request
   * counted once, through the servlet path, under {@code protocol="h2"}; none under HTTP/1.1, the
   * upgrading request included.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("h2cContainers")
  void h2cRequestsAreCountedOnceUnderH2(Container c) throws Exception {
    try (ForkedJvm jvm = host(c, Jdks.all().get(0), "", List.of("-Dh2c=true"))) {
      eightH2cRequestsAreCountedUnderH2(jvm, "/api/items/", "/boom");
    }
  }

  /** A Jetty 12 core handler (no servlet) on an h2c connector: its requests are h2 as well. */
  @org.junit.jupiter.api.Test
  void jetty12CoreHandlersUnderH2cAreCountedOnceUnderH2() throws Exception {
    try (ForkedJvm jvm = host(JETTY12_CORE, Jdks.all().get(0), "", List.of("-Dh2c=true"))) {
      eightH2cRequestsAreCountedUnderH2(jvm, "/shop/items/", "/shop/fail");
    }
  }

  /**
   * curl on one connection by upgrade ({@code --http2}): six items and two failing requests, then
   * each counted once under {@code h2}, none under HTTP/1.1 (the upgrading request included).
   */
  private void eightH2cRequestsAreCountedUnderH2(ForkedJvm jvm, String items, String failing)
      throws Exception {
    int port = hostPort(jvm);
    Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
    List<String> cmd =
        new ArrayList<>(List.of("curl", "-s", "-w", "%{http_code} %{http_version}\\n", "--http2"));
    for (int i = 1; i <= 8; i++) {
      cmd.addAll(
          List.of("-o", "/dev/null", "http://127.0.0.1:" + port + (i <= 6 ? items + i : failing)));
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    List<String> answers = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertThat(answers).hasSize(8).allMatch(a -> a.endsWith(" 2"));
    jvm.await(
        "eight requests under h2",
        WAIT,
        () -> {
          JsonNode h2 = http(nova).path("byProtocol").path("h2");
          return h2.path("requests").asLong() == 8;
        });
    JsonNode signals = http(nova);
    assertThat(signals.get("byProtocol").get("h2").get("errors5xx").asLong()).isEqualTo(2);
    assertThat(signals.get("byProtocol").has("http/1.1")).isFalse();
    String metrics = nova.get("/debug/nova/metrics").body();
    assertThat(metrics)
        .containsPattern(
            "nova_http_request_duration_seconds_count\\{method=\"GET\",protocol=\"h2\",route=\""
                + java.util.regex.Pattern.quote(items)
                + "\\{id\\}\",status=\"200\",?\\} 6");
    assertThat(metrics).doesNotContain("protocol=\"http/1.1\"");
    JsonNode agent = nova.get("/debug/nova").json().get("agent");
    assertThat(agent.get("errors").asLong()).as(agent.path("recentErrors").toString()).isZero();
  }

  private static JsonNode http(Http nova) {
    return nova.get("/debug/nova").json().get("signals").get("http");
  }

  private static int get(HttpClient client, int port, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int hostPort(ForkedJvm jvm) {
    jvm.awaitStdout("host-ready", WAIT);
    String line =
        jvm.stdout().lines().filter(l -> l.startsWith("host-ready")).findFirst().orElseThrow();
    return Integer.parseInt(line.replaceAll(".*port=(\\d+).*", "$1"));
  }

  /** The container's jars and its host, compiled once per container from the host sources. */
  private static String classPath(Container c) throws IOException {
    Path dir = Path.of(System.getProperty("nova.servlet.hosts"), c.jars(), "target", "lib");
    String jars;
    try (Stream<Path> s = Files.list(dir)) {
      jars = s.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
    }
    Path classes = COMPILED.get(c.main() + "@" + c.jars());
    if (classes == null) {
      classes = compile(c, jars);
      COMPILED.put(c.main() + "@" + c.jars(), classes);
    }
    return classes + File.pathSeparator + jars;
  }

  private static Path compile(Container c, String jars) throws IOException {
    Path sources = Path.of("src", "test", "servlet-hosts").toAbsolutePath();
    String name = c.jars() + "-" + c.main().substring(4);
    Path src = hosts.resolve(name + "-src");
    Path out = hosts.resolve(name + "-classes");
    Files.createDirectories(src.resolve("app"));
    Files.createDirectories(out);
    List<String> files = new ArrayList<>();
    List<Path> hostSources =
        new ArrayList<>(
            List.of(
                sources.resolve("common/app/ShopServlets.java"),
                sources.resolve(c.hostDir() + "/app/" + c.main().substring(4) + ".java")));
    if (c.webSocket()) {
      hostSources.add(sources.resolve("websocket/app/RoomEndpoint.java"));
    }
    for (Path p : hostSources) {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      if (c.api().equals("javax")) {
        text =
            text.replace("jakarta.servlet", "javax.servlet")
                .replace("jakarta.websocket", "javax.websocket");
      }
      Path target = src.resolve("app").resolve(p.getFileName());
      Files.writeString(target, text, StandardCharsets.UTF_8);
      files.add(target.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args =
        new ArrayList<>(List.of("--release", "17", "-nowarn", "-cp", jars, "-d", out.toString()));
    args.addAll(files);
    int code = javac.run(null, null, null, args.toArray(String[]::new));
    assertThat(code).as("compiling the " + c + " host").isZero();
    return out;
  }
}

package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runbook scenarios 1 and 2 through the agent on an unmodified Netty server, once on Netty 4.1 and
 * once on Netty 4.2: request counts, routes, statuses and error bands under concurrent keep-alive
 * load, pipelining and resets, then 1,000 real WebSocket sessions closed every way there is.
 */
class NettyAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "netty-token";
  static final String STREAM_ROUTE = "/api/v1/streams/{id}";
  static final String WS_ROUTE = "/api/v1/streams/{id}/ws";

  @TempDir Path tmp;

  static String nettyClassPath(String version) throws Exception {
    Path dir = Path.of(System.getProperty(version.equals("4.1") ? "nova.netty41" : "nova.netty42"));
    try (Stream<Path> jars = Files.list(dir)) {
      return jars.map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
  }

  private ForkedJvm host(String netty, String options) throws Exception {
    return ForkedJvm.start(
        Jdks.all().get(0).home(),
        List.of(
            "-javaagent:"
                + Jdks.agentJar()
                + "=token="
                + TOKEN
                + ",port=0,detect.interval=200ms,portFile="
                + tmp.resolve("port")
                + ","
                + options,
            "-cp",
            Jdks.hostClassPath() + File.pathSeparator + nettyClassPath(netty),
            "app.NettyHost"));
  }

  private static int hostPort(ForkedJvm jvm) {
    jvm.awaitStdout("host-ready", WAIT);
    String line =
        jvm.stdout().lines().filter(l -> l.startsWith("host-ready")).findFirst().orElseThrow();
    return Integer.parseInt(line.replaceAll(".*port=(\\d+).*", "$1"));
  }

  static JsonNode finding(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("code").asText().equals(code)) {
        return f;
      }
    }
    return null;
  }

  static JsonNode route(JsonNode http, String route) {
    for (JsonNode r : http.get("routes")) {
      if (r.get("route").asText().equals(route)) {
        return r;
      }
    }
    return null;
  }

  /** Requests on one keep-alive connection per thread (the JDK client reuses its connections). */
  static void load(HttpClient client, int port, String path, int threads, int each)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    String p = path.replace("{n}", Integer.toString(thread * 1000 + i));
                    HttpResponse<String> r =
                        client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + p))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isIn(200, 500);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest(name = "Netty {0}")
  @ValueSource(strings = {"4.1", "4.2"})
  void requestsAreCountedExactlyAndErrorBandsFollowTheRunbook(String netty) throws Exception {
    try (ForkedJvm jvm = host(netty, "http.slow=300ms,http.window=2m")) {
      int port = hostPort(jvm);
      assertThat(jvm.stdout()).contains("netty=" + netty);
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

      // healthy, sustained, concurrent keep-alive load: exact counts and no finding at all
      JsonNode report = null;
      for (int round = 0; round < 5; round++) {
        load(client, port, "/api/v1/streams/{n}", 8, 50);
        report = nova.get("/debug/nova").json();
        assertThat(report.get("findings")).as(report.toPrettyString()).isEmpty();
      }
      JsonNode http = report.get("signals").get("http");
      JsonNode streams = route(http, STREAM_ROUTE);
      assertThat(streams.get("requests").asLong()).isEqualTo(2_000);
      assertThat(streams.get("statuses").get("200").asLong()).isEqualTo(2_000);
      assertThat(streams.get("bytesOut").asLong()).isPositive();
      assertThat(http.get("requests").asLong()).isEqualTo(2_000);
      assertThat(nova.get("/debug/nova/metrics").body())
          .contains(
              "nova_http_request_duration_seconds_count{method=\"GET\",protocol=\"http/1.1\",route=\""
                  + STREAM_ROUTE
                  + "\",status=\"200\"} 2000");

      // 100 errors in 2,100: 4.8%, the runbook's MEDIUM band
      load(client, port, "/fail", 4, 25);
      // the detectors run during the burst too: wait for the round that saw all of it
      JsonNode f =
          awaitFinding(
              jvm,
              nova,
              "HTTP_ERROR_RATE",
              g -> g.get("evidence").get("errors5xx").asLong() == 100);
      assertThat(f.get("severity").asText()).isEqualTo("MEDIUM");
      assertThat(f.get("evidence").get("errors5xx").asLong()).isEqualTo(100);
      JsonNode byRoute = f.get("evidence").get("byRoute").get(0);
      assertThat(byRoute.get("route").asText()).isEqualTo("/fail");
      assertThat(byRoute.get("statuses").get("500").asLong()).isEqualTo(100);
      // 300 in 2,300: 13%, HIGH
      load(client, port, "/fail", 4, 50);
      awaitFinding(jvm, nova, "HTTP_ERROR_RATE", g -> g.get("severity").asText().equals("HIGH"));
      assertThat(nova.get("/debug/nova/metrics").body())
          .contains(
              "nova_http_errors_total{protocol=\"http/1.1\",route=\"/fail\",status=\"500\"} 300");

      // three pipelined requests in one write, answered in order: three requests
      try (Socket s = new Socket("127.0.0.1", port)) {
        String one = "GET /api/v1/streams/77 HTTP/1.1\r\nHost: x\r\n\r\n";
        s.getOutputStream().write((one + one + one).getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        String got = "";
        byte[] buf = new byte[4096];
        while (got.split("HTTP/1.1 200", -1).length - 1 < 3) {
          int n = in.read(buf);
          assertThat(n).isPositive();
          got += new String(buf, 0, n, StandardCharsets.US_ASCII);
        }
      }
      // a request whose client goes away before the answer: reset mid-request
      try (Socket s = new Socket("127.0.0.1", port)) {
        OutputStream out = s.getOutputStream();
        out.write("GET /slow?ms=1500 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      jvm.await(
          "2,003 stream requests and one reset",
          WAIT,
          () -> {
            JsonNode h = nova.get("/debug/nova").json().get("signals").get("http");
            JsonNode slow = route(h, "/slow");
            return route(h, STREAM_ROUTE).get("requests").asLong() == 2_003
                && slow != null
                && slow.get("resetMidRequest").asLong() == 1;
          });
      // slow requests past http.slow
      load(client, port, "/slow?ms=400", 2, 2);
      JsonNode slow =
          awaitFinding(jvm, nova, "HTTP_SLOW", g -> g.get("evidence").get("slow").asLong() == 4);
      assertThat(slow.get("evidence").get("slowestRoutes").get(0).get("route").asText())
          .isEqualTo("/slow");
      assertThat(slow.get("evidence").get("slow").asLong()).isEqualTo(4);
      JsonNode agent = nova.get("/debug/nova").json().get("agent");
      assertThat(agent.get("errors").asLong()).as(agent.toPrettyString()).isZero();
      assertThat(route(nova.get("/debug/nova").json().get("signals").get("http"), "/debug/nova"))
          .as("Nova's own listener is not counted")
          .isNull();
    }
  }

  static final class Listener implements WebSocket.Listener {
    final CompletableFuture<Integer> closedWith = new CompletableFuture<>();

    @Override
    public CompletableFuture<?> onClose(WebSocket ws, int statusCode, String reason) {
      closedWith.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closedWith.complete(-1);
    }
  }

  @ParameterizedTest(name = "Netty {0}")
  @ValueSource(strings = {"4.1", "4.2"})
  void aThousandSessionsAreCountedAndEveryWayOfClosingIsTold(String netty) throws Exception {
    try (ForkedJvm jvm = host(netty, "ws.idle=3s")) {
      int port = hostPort(jvm);
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      HttpClient client = HttpClient.newHttpClient();

      for (String[] refused : new String[][] {{"abc", "good", "400"}, {"7", "bad", "401"}}) {
        assertThat(refusal(client, port, refused[0], refused[1])).isEqualTo(refused[2]);
      }
      assertThat(refusal(client, port, "5000", "good")).isEqualTo("404");

      int n = 1_000;
      List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
      List<Listener> listeners = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Listener l = new Listener();
        listeners.add(l);
        opening.add(
            client
                .newWebSocketBuilder()
                .buildAsync(
                    URI.create(
                        "ws://127.0.0.1:" + port + "/api/v1/streams/" + i + "/ws?token=good"),
                    l));
      }
      List<WebSocket> sessions = new ArrayList<>();
      for (CompletableFuture<WebSocket> f : opening) {
        sessions.add(f.join());
      }
      jvm.await("1000 open sessions", WAIT, () -> ws(nova).get("openSessions").asInt() == n);
      JsonNode ws = ws(nova);
      assertThat(ws.get("openByRoute").get(WS_ROUTE).asInt()).isEqualTo(n);
      assertThat(ws.get("refusedUpgradesLastMinute").get("400").asInt()).isEqualTo(1);
      assertThat(ws.get("refusedUpgradesLastMinute").get("401").asInt()).isEqualTo(1);
      assertThat(ws.get("refusedUpgradesLastMinute").get("404").asInt()).isEqualTo(1);
      assertThat(nova.get("/debug/nova/metrics").body())
          .contains("websocket_connections{route=\"" + WS_ROUTE + "\"} 1000");

      // 300 closed by the client, 300 dropped without a close frame, 300 closed by the server
      for (int i = 0; i < 300; i++) {
        sessions.get(i).sendClose(1000, "done");
      }
      for (int i = 300; i < 600; i++) {
        sessions.get(i).abort();
      }
      for (int i = 600; i < 900; i++) {
        sessions.get(i).sendText("bye", true);
      }
      jvm.await("100 left open", WAIT, () -> ws(nova).get("openSessions").asInt() == 100);
      String metrics = nova.get("/debug/nova/metrics").body();
      assertThat(metrics)
          .contains("websocket_disconnects_total{code=\"1000\",side=\"client\"} 300");
      assertThat(metrics)
          .contains("websocket_disconnects_total{code=\"1006\",side=\"abnormal\"} 300");
      assertThat(metrics)
          .contains("websocket_disconnects_total{code=\"1000\",side=\"server\"} 300");
      for (int i = 600; i < 900; i++) {
        assertThat(listeners.get(i).closedWith.get()).isEqualTo(1000);
      }

      JsonNode spike =
          awaitFinding(
              jvm,
              nova,
              "WS_DISCONNECT_SPIKE",
              g -> g.get("evidence").get("disconnectsLastMinute").asInt() == 900);
      assertThat(spike.get("evidence").get("byCodeAndSide").get("1006/abnormal").asInt())
          .isEqualTo(300);
      assertThat(
              awaitFinding(
                  jvm, nova, "WS_CHURN", g -> g.get("evidence").get("openSessions").asInt() == 100))
          .isNotNull();
      // the last 100 have sent nothing since they opened: idle past ws.idle=3s
      JsonNode leak =
          awaitFinding(
              jvm,
              nova,
              "WS_SESSION_LEAK",
              g -> g.get("evidence").get("idleSessions").asInt() == 100);
      assertThat(leak.get("evidence").get("channelGoneSessions").asInt()).isZero();
      assertThat(leak.get("actions").toString()).contains("ws-close-idle");

      JsonNode dry =
          nova.post("/debug/nova/actions/ws-close-idle?olderThan=1s&dryRun=true", TOKEN).json();
      assertThat(dry.get("wouldClose").asInt()).isEqualTo(100);
      Http.Answer closed = nova.post("/debug/nova/actions/ws-close-idle?olderThan=1s", TOKEN);
      assertThat(closed.status()).isEqualTo(200);
      assertThat(closed.json().get("byRoute").get(WS_ROUTE).asInt()).isEqualTo(100);
      for (int i = 900; i < 1000; i++) {
        assertThat(listeners.get(i).closedWith.get()).isEqualTo(1001);
      }
      jvm.await("all closed", WAIT, () -> ws(nova).get("openSessions").asInt() == 0);
      assertThat(nova.get("/debug/nova/metrics").body())
          .contains("websocket_disconnects_total{code=\"1001\",side=\"server\"} 100");
      assertThat(nova.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("dev.nova.agent.Jdks#all")
  void theJdkHttpServerIsObservedAndNovasOwnListenerIsNot(Jdks.Jdk jdk) throws Exception {
    try (ForkedJvm jvm =
        ForkedJvm.start(
            jdk.home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=token="
                    + TOKEN
                    + ",port=0,detect.interval=200ms,portFile="
                    + tmp.resolve("port"),
                "-cp",
                Jdks.hostClassPath(),
                "app.JdkHttpHost"))) {
      int port = hostPort(jvm);
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 30; i++) {
        String path = i % 10 == 9 ? "/boom" : "/api/items/" + i;
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
      // the JDK server's filter records after the handler returns, which can be after the client
      // has its answer: wait for the last request to be counted
      jvm.await(
          "30 requests counted",
          WAIT,
          () -> {
            JsonNode h = nova.get("/debug/nova").json().get("signals").get("http");
            return h != null && h.get("requests").asLong() >= 30;
          });
      JsonNode http = nova.get("/debug/nova").json().get("signals").get("http");
      assertThat(route(http, "/api/items/{id}").get("requests").asLong()).isEqualTo(27);
      assertThat(route(http, "/boom").get("statuses").get("500").asLong()).isEqualTo(3);
      assertThat(http.get("requests").asLong())
          .as("Nova's own requests are not counted")
          .isEqualTo(30);
      JsonNode f =
          awaitFinding(
              jvm, nova, "HTTP_ERROR_RATE", g -> g.get("evidence").get("requests").asLong() == 30);
      assertThat(f.get("severity").asText()).isEqualTo("HIGH"); // 10%
      assertThat(nova.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }

  private static JsonNode ws(Http nova) {
    return nova.get("/debug/nova").json().get("signals").get("websocket");
  }

  private static String refusal(HttpClient client, int port, String id, String token) {
    try {
      client
          .newWebSocketBuilder()
          .buildAsync(
              URI.create("ws://127.0.0.1:" + port + "/api/v1/streams/" + id + "/ws?token=" + token),
              new Listener())
          .join();
      return "opened";
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return Integer.toString(h.getResponse().statusCode());
      }
      throw e;
    }
  }

  static JsonNode awaitFinding(ForkedJvm jvm, Http nova, String code) {
    return awaitFinding(jvm, nova, code, f -> true);
  }

  static JsonNode awaitFinding(
      ForkedJvm jvm, Http nova, String code, java.util.function.Predicate<JsonNode> complete) {
    JsonNode[] found = new JsonNode[1];
    jvm.await(
        code,
        WAIT,
        () -> {
          found[0] = finding(nova.get("/debug/nova").json(), code);
          return found[0] != null && complete.test(found[0]);
        });
    return found[0];
  }
}

package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /debug/nova/ui} in a real headless Chromium (Debian's {@code chromium}, driven by {@code
 * playwright-core} from core/src/ui, {@code test/page-check.mjs}), against forked hosts with a
 * fault: threads that leak, a heap that grows, a HikariCP application that keeps a connection, and
 * a Netty server under HTTP and WebSocket traffic. {@code .ci/run} installs Chromium; with it
 * missing the tests are skipped, except under {@code CI=true} or {@code NOVA_UI_REQUIRED=true}.
 * Each keeps a screenshot, {@code agent/target/ui-<mode>.png}.
 */
class UiBrowserIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "ui-token-" + Long.toHexString(System.nanoTime());
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path UI = Path.of("..", "core", "src", "ui");
  static final String OPTIONS = ",port=0,detect.interval=200ms,history.interval=1s,portFile=";

  @TempDir Path tmp;

  @BeforeEach
  void browserIsHere() {
    boolean ready =
        Files.isExecutable(CHROMIUM)
            && Files.isDirectory(UI.resolve("node_modules/playwright-core"));
    if (!ready
        && ("true".equals(System.getenv("CI"))
            || "true".equals(System.getenv("NOVA_UI_REQUIRED")))) {
      throw new AssertionError(
          "missing /usr/bin/chromium (apt-get install chromium) or core/src/ui/node_modules");
    }
    assumeTrue(ready, "no /usr/bin/chromium here: apt-get install chromium (.ci/run does)");
  }

  /**
   * A host under the agent on the first JDK: {@code jvmArgs}, the agent with {@link #OPTIONS} and
   * {@code options}, then the class path and the main class with its arguments.
   */
  private ForkedJvm host(List<String> jvmArgs, String options, String classPath, String... main)
      throws Exception {
    List<String> args = new ArrayList<>(jvmArgs);
    args.add(
        "-javaagent:"
            + Jdks.agentJar()
            + "=token="
            + TOKEN
            + OPTIONS
            + tmp.resolve("port")
            + options);
    args.add("-cp");
    args.add(classPath);
    args.addAll(List.of(main));
    return ForkedJvm.start(Jdks.all().get(0).home(), args);
  }

  /** The admin listener's port, once the agent has written it. */
  private int adminPort(ForkedJvm jvm) {
    return Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT));
  }

  /** What the page showed in the browser, as page-check.mjs printed it. */
  private static JsonNode browse(String mode, int adminPort) throws Exception {
    Path shot = Path.of("target", "ui-" + mode + ".png").toAbsolutePath();
    Files.deleteIfExists(shot);
    Path printed = shot.resolveSibling("ui-" + mode + ".json");
    Process p =
        new ProcessBuilder(
                "node",
                "test/page-check.mjs",
                mode,
                "http://127.0.0.1:" + adminPort,
                TOKEN,
                shot.toString())
            .directory(UI.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(printed.toFile())
            .start();
    if (!p.waitFor(4, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("page-check.mjs " + mode + " still running after 4 minutes");
    }
    String out = Files.readString(printed);
    assertThat(p.exitValue()).as(out).isZero();
    JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    assertThat(seen.get("outside")).as("requests leaving the admin listener").isEmpty();
    assertThat(seen.get("tokenInUrl").asBoolean()).isFalse();
    assertThat(seen.get("heapPoints").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(Files.size(shot)).isPositive();
    return seen;
  }

  private static List<String> errors(JsonNode seen) {
    List<String> errors = new ArrayList<>();
    seen.get("errors").forEach(e -> errors.add(e.asText()));
    return errors;
  }

  @Test
  void aThreadLeakIsOnScreenWithItsCreationSiteAndADryRunTakesThePastedToken() throws Exception {
    try (ForkedJvm jvm =
        host(List.of(), ",threads.window=6s", Jdks.hostClassPath(), "app.MemoryHost", "threads")) {
      int port = adminPort(jvm);
      Http http = new Http(port);
      jvm.await(
          "THREAD_LEAK", WAIT, () -> http.get("/debug/nova").body().contains("\"THREAD_LEAK\""));
      Http.Answer page = http.get("/debug/nova/ui");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("Content-Security-Policy"))
          .startsWith("default-src 'none'; script-src 'self'");
      assertThat(http.get("/debug/nova/ui/licenses/uplot.txt").body()).contains("MIT");
      assertThat(http.get("/debug/nova/ui/licenses/d3-flame-graph.txt").status()).isEqualTo(200);
      assertThat(http.get("/debug/nova/ui/../../etc/passwd").status()).isIn(400, 404);

      JsonNode seen = browse("leak", port);
      assertThat(seen.get("codes").toString()).contains("THREAD_LEAK");
      // the threads plot has a line for the site that starts the leaking threads
      List<String> sites = new ArrayList<>();
      seen.get("threads").fieldNames().forEachRemaining(sites::add);
      assertThat(sites).anyMatch(s -> s.startsWith("app.MemoryHost.startWorker("));
      assertThat(seen.get("threads").get("live").asInt()).isGreaterThanOrEqualTo(2);
      // kept: 360 samples at history.interval=1s, six minutes
      assertThat(seen.get("httpShown").asText())
          .isEqualTo("no HTTP request seen in the last 6 min");
      assertThat(seen.get("dryName").asText()).isEqualTo("dry run thread-dump");
      assertThat(seen.get("liveHidden").isNull())
          .as("the live view hidden without JavaScript")
          .isFalse();
      assertThat(seen.get("overflow").asInt())
          .as("pixels wider than a phone")
          .isLessThanOrEqualTo(0);
      // the one error the browser logs is the refused dry run with the wrong token, on purpose
      assertThat(errors(seen))
          .as("console errors")
          .allMatch(e -> e.contains("status of 401"))
          .hasSizeLessThanOrEqualTo(1);
      assertThat(seen.get("wrong").asText()).contains("HTTP 401");
      assertThat(seen.get("answer").asText()).contains("would");
      assertThat(seen.get("answerAfterRefresh").asText()).isEqualTo(seen.get("answer").asText());
      assertThat(seen.get("stored").asInt()).as("nothing stored").isZero();
      assertThat(seen.get("text").asText()).contains("THREAD_LEAK");
    }
  }

  @Test
  void aGrowingHeapIsPlottedWithItsTrendToTheProjectedExhaustion() throws Exception {
    try (ForkedJvm jvm =
        host(
            List.of("-Xmx2g"), // 10 MB a second retained: minutes before it runs out
            ",heap.window=6s,jfr.delay=0s",
            Jdks.hostClassPath(),
            "app.MemoryHost",
            "retain")) {
      int port = adminPort(jvm);
      Http http = new Http(port);
      jvm.await(
          "HEAP_GROWTH", WAIT, () -> http.get("/debug/nova").body().contains("\"HEAP_GROWTH\""));

      JsonNode seen = browse("heap", port);
      assertThat(seen.get("codes").toString()).contains("HEAP_GROWTH");
      assertThat(errors(seen)).as("console errors").isEmpty();
      JsonNode heap = seen.get("heap");
      assertThat(heap.get("after GC (MiB)").asInt()).isGreaterThanOrEqualTo(2);
      // the trend has a value at every sample and one more at the projected moment
      assertThat(heap.get("trend (MiB)").asInt()).isGreaterThan(heap.get("after GC (MiB)").asInt());
      assertThat(heap.has("max (MiB)")).as("the maximum drawn, the trend heading to it").isTrue();
      assertThat(seen.get("heapNote").asText())
          .startsWith("HEAP_GROWTH: +")
          .contains("MiB/min")
          .contains("exhausted at");
    }
  }

  @Test
  void routesCloseCodesAndACpuProfileFromThePageOnANettyServerUnderTraffic() throws Exception {
    try (ForkedJvm jvm =
        host(
            List.of(),
            "",
            Jdks.hostClassPath() + File.pathSeparator + NettyAgentIT.nettyClassPath("4.2"),
            "app.NettyHost")) {
      int admin = adminPort(jvm);
      jvm.awaitStdout("host-ready", WAIT);
      int port =
          Integer.parseInt(
              jvm.stdout()
                  .lines()
                  .filter(l -> l.startsWith("host-ready"))
                  .findFirst()
                  .orElseThrow()
                  .replaceAll(".*port=(\\d+).*", "$1"));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread traffic = new Thread(() -> traffic(port, stop, failed), "ui-it-traffic");
      traffic.setDaemon(true); // a host that stops answering must not keep the test JVM alive
      traffic.start();
      JsonNode seen;
      try {
        seen = browse("traffic", admin);
      } finally {
        stop.set(true);
        traffic.join(WAIT.toMillis());
        if (failed.get() != null) {
          throw new AssertionError(
              "the traffic failed, so the page had nothing to show", failed.get());
        }
      }
      assertThat(errors(seen)).as("console errors").isEmpty();
      JsonNode plots = seen.get("plots");
      assertThat(plots.get("latency").get("/api/v1/streams/{id}").asInt())
          .isGreaterThanOrEqualTo(2);
      assertThat(plots.get("latency").get("all").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(plots.get("errors").get("/fail").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(plots.get("http").get("/slow").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(plots.get("ws").get("open").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(plots.get("ws-codes").has("code 1000")).isTrue();
      assertThat(plots.get("ws-codes").has("code 1006")).isTrue();
      assertThat(plots.get("gc").get("CPU").asInt()).isGreaterThanOrEqualTo(1);
      // a small live set far from the maximum: the maximum in the title, not as a flat line
      assertThat(plots.get("heap").has("max (MiB)")).isFalse();
      assertThat(seen.get("profileDry").asText()).contains("wouldSample").contains("for 2 s");
      assertThat(seen.get("runHiddenAfterChange").asBoolean()).isTrue();
      assertThat(seen.get("runHiddenAfterRun").asBoolean()).isTrue();
      // the profile, drawn: frames of the host's event loop under the root
      assertThat(seen.get("flameFrames").asInt()).isGreaterThan(10);
      assertThat(seen.get("flameNames").toString()).contains("io.netty.");
      assertThat(seen.get("flameLabels").asInt()).as("frames with their names").isGreaterThan(2);
      assertThat(seen.get("flameNote").asText()).contains("over 3 s");
    }
  }

  @Test
  void gRpcCallsFailingShareAndP95ArePlottedOnAGrpcServer() throws Exception {
    try (ForkedJvm jvm =
        host(
            List.of(),
            "",
            Jdks.hostClassPath() + File.pathSeparator + GrpcAgentIT.grpcClassPath("shaded"),
            "app.GrpcHost")) {
      jvm.awaitStdout("host-ready", WAIT);
      String ready =
          jvm.stdout().lines().filter(l -> l.startsWith("host-ready")).findFirst().orElseThrow();
      int port = Integer.parseInt(ready.replaceAll(".*port=(\\d+).*", "$1"));
      int admin = adminPort(jvm);
      io.grpc.ManagedChannel channel =
          io.grpc.Grpc.newChannelBuilder(
                  "127.0.0.1:" + port, io.grpc.InsecureChannelCredentials.create())
              .build();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread calls = new Thread(() -> calls(channel, stop, failed), "ui-it-grpc");
      calls.setDaemon(true);
      calls.start();
      JsonNode seen;
      try {
        seen = browse("grpc", admin);
      } finally {
        stop.set(true);
        calls.join(WAIT.toMillis());
        channel.shutdownNow();
        if (failed.get() != null) {
          throw new AssertionError(
              "the calls failed, so the page had nothing to show", failed.get());
        }
      }
      assertThat(errors(seen)).as("console errors").isEmpty();
      JsonNode plots = seen.get("plots");
      assertThat(plots.get("grpc").get("calls/s").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(plots.get("grpc-errors").get("all").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(seen.get("grpcErrorPeak").asDouble())
          .as("one call in ten answers UNAVAILABLE: a share above none, far from all")
          .isGreaterThan(0.0)
          .isLessThan(0.5);
      assertThat(plots.get("grpc-latency").get("all").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(seen.get("httpShown").asText())
          .as("gRPC calls are not HTTP requests")
          .contains("no HTTP request seen");
      assertThat(seen.get("codes").toString()).contains("GRPC_ERROR_RATE");
    }
  }

  /**
   * Unary calls, one in ten failing with UNAVAILABLE (the host's "fail" requests), until stopped.
   */
  private static void calls(
      io.grpc.ManagedChannel channel, AtomicBoolean stop, AtomicReference<Throwable> failed) {
    try {
      for (int i = 1; !stop.get(); i++) {
        try {
          io.grpc.stub.ClientCalls.blockingUnaryCall(
              channel,
              app.GrpcHost.PAY,
              io.grpc.CallOptions.DEFAULT,
              (i % 10 == 0 ? "fail " : "order ") + i);
        } catch (io.grpc.StatusRuntimeException e) {
          if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
            throw e;
          }
        }
        if (i % 10 == 9) {
          java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // leave the browser a core
        }
      }
    } catch (Throwable t) {
      failed.set(t);
    }
  }

  @Test
  void aLeakedConnectionIsPlottedHeldByItsStackAndClosedFromThePage() throws Exception {
    try (ForkedJvm jvm =
        host(
            List.of(),
            ",jdbc.leakThreshold=300ms,incident.recording=none,incident.dir="
                + tmp.resolve("incidents")
                + ",autopilot=DB_CONNECTION_LEAK=connection-close-leaked,autopilot.every=30s",
            Jdks.hostClassPath() + File.pathSeparator + System.getProperty("nova.host.libs"),
            "app.JdbcHost",
            "orders",
            "jdbc:h2:mem:ui;DB_CLOSE_DELAY=-1")) {
      int port = adminPort(jvm);
      jvm.awaitStdout("host-ready", WAIT);
      java.io.OutputStream stdin = jvm.process().getOutputStream();
      stdin.write("keep\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      Http http = new Http(port);
      jvm.await(
          "DB_CONNECTION_LEAK",
          WAIT,
          () -> http.get("/debug/nova").body().contains("\"DB_CONNECTION_LEAK\""));

      JsonNode seen = browse("pool", port);
      assertThat(errors(seen)).as("console errors").isEmpty();
      assertThat(seen.get("poolTitle").asText()).contains("orders");
      assertThat(seen.get("pools").get("active").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(seen.get("pools").get("idle").asInt()).isGreaterThanOrEqualTo(2);
      // the kept connection is in use: active reaches 1 of the pool's 2
      assertThat(seen.get("poolPeaks").get("active").asDouble()).isEqualTo(1.0);
      assertThat(seen.get("holders").asText()).contains("app.JdbcHost.keepOne(");
      assertThat(seen.get("closeDry").asText()).contains("\"wouldClose\"").contains("keepOne");
      assertThat(seen.get("closeRun").asText()).contains("\"closed\"");
      JsonNode after = http.get("/debug/nova/jdbc").json(); // closed: no longer held
      assertThat(after.get("borrowed").asInt()).isZero();
      assertThat(after.get("holders")).isEmpty();
      assertThat(after.get("returnedLate").toString()).contains("app.JdbcHost.keepOne(");
      assertThat(seen.get("dump").asText()).contains("\"threads\"").contains("main");
      // the bundle the page wrote and downloaded, with the token, is the one the listener keeps
      String bundle = seen.get("incidentFile").asText();
      assertThat(bundle).matches("incident-\\d{8}T\\d{6}Z(-\\d+)?-[A-Z_]+\\.zip");
      assertThat(seen.get("incidentListed").asText()).contains("download");
      JsonNode listed = http.get("/debug/nova/incidents").json().get("incidents");
      assertThat(listed.get(0).get("name").asText()).isEqualTo(bundle);
      assertThat(seen.get("incidentBytes").asLong()).isEqualTo(listed.get(0).get("bytes").asLong());
      assertThat(seen.get("autopilot").asText())
          .contains("mode dry-run")
          .contains("DB_CONNECTION_LEAK")
          .contains("connection-close-leaked")
          .contains("wouldClose");
    }
  }

  /**
   * Requests to three routes (one answers 500) and WebSocket sessions that end two ways: closed
   * with 1000 by the client, and dropped without a close frame (1006), until {@code stop}.
   */
  private static void traffic(int port, AtomicBoolean stop, AtomicReference<Throwable> failed) {
    HttpClient client = HttpClient.newHttpClient();
    String http = "http://127.0.0.1:" + port;
    try {
      for (int round = 0; !stop.get(); round++) {
        for (int i = 0; i < 20; i++) {
          get(client, http + "/api/v1/streams/" + (round * 20 + i), 200);
        }
        get(client, http + "/fail", 500);
        get(client, http + "/slow?ms=5", 200);
        URI ws =
            URI.create("ws://127.0.0.1:" + port + "/api/v1/streams/" + round + "/ws?token=good");
        WebSocket closed =
            client
                .newWebSocketBuilder()
                .buildAsync(ws, new WebSocket.Listener() {})
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        WebSocket dropped =
            client
                .newWebSocketBuilder()
                .buildAsync(ws, new WebSocket.Listener() {})
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        closed
            .sendClose(WebSocket.NORMAL_CLOSURE, "done")
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
        dropped.abort();
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // leave the browser a core
      }
    } catch (Throwable t) {
      failed.set(t);
    }
  }

  private static void get(HttpClient client, String url, int expected) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(expected);
  }
}

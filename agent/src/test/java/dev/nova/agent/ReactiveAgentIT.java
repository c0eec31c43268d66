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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The servers built on Netty that bring their own pipelines: Reactor Netty 1.2 (Netty 4.1) and 1.3
 * (Netty 4.2) with {@code HttpProtocol.H2C}, and Vert.x 5 core with cleartext HTTP/2, each written
 * as its documentation shows ({@code src/test/reactive-hosts}, compiled here against the jars its
 * own dependencies bring, {@code src/it/<host>}). HTTP/1.1 from the JDK's client and HTTP/2 from
 * curl, by prior knowledge and by upgrade, on one port: every request counted once, under its own
 * protocol, 500s as errors, a request given up mid-answer as a reset.
 */
class ReactiveAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);

  /** One host: its jars' folder under {@code src/it}, its source folder and its main class. */
  record Host(String name, String jars, String sources, String main) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Host> hosts() {
    return Stream.of(
        new Host("Reactor Netty 1.2", "reactor-netty12", "reactor", "app.ReactorHost"),
        new Host("Reactor Netty 1.3", "reactor-netty13", "reactor", "app.ReactorHost"),
        new Host("Vert.x 5", "vertx5", "vertx", "app.VertxHost"));
  }

  private static final Map<String, Path> COMPILED = new ConcurrentHashMap<>();
  @TempDir static Path classes;
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void http1AndH2OnOnePortAreEachCountedOnceUnderTheirProtocol(Host host) throws Exception {
    try (ForkedJvm jvm =
        ForkedJvm.start(
            Jdks.all().get(0).home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=port=0,detect.interval=200ms,portFile="
                    + tmp.resolve("port"),
                "-cp",
                classPath(host),
                host.main()))) {
      jvm.awaitStdout("host-ready", WAIT);
      String ready =
          jvm.stdout().lines().filter(l -> l.startsWith("host-ready")).findFirst().orElseThrow();
      String base = "http://127.0.0.1:" + ready.replaceAll(".*port=(\\d+).*", "$1");
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));

      HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (int i = 0; i < 5; i++) {
        assertThat(get(http1, base + "/hello")).isEqualTo(200);
      }
      for (int i = 1; i <= 4; i++) {
        assertThat(get(http1, base + "/items/" + i)).isEqualTo(200);
      }
      assertThat(get(http1, base + "/fail")).isEqualTo(500);
      assertThat(get(http1, base + "/fail")).isEqualTo(500);

      // prior knowledge, a connection each (curl 7.88 does not reuse a prior-knowledge connection)
      List<String> prior = List.of("--http2-prior-knowledge", "-Z", "--parallel-immediate");
      assertThat(Http2AgentIT.curl(prior, base + "/hello", base + "/hello", base + "/fail"))
          .containsExactlyInAnyOrder("200 2", "200 2", "500 2");
      // by upgrade: the first request goes out as HTTP/1.1 and is answered on stream 1, the next
      // ones on streams 3 and 5 of the same connection
      assertThat(
              Http2AgentIT.curl(
                  List.of("--http2"), base + "/hello", base + "/items/9", base + "/hello"))
          .containsExactly("200 2", "200 2", "200 2");
      // a request given up before its answer: the stream is gone mid-request
      assertThat(
              Http2AgentIT.curl(
                  List.of("--http2-prior-knowledge", "--max-time", "1"), base + "/slow"))
          .noneMatch(l -> l.startsWith("200"));

      String[] metrics = new String[1];
      jvm.await(
          "every request counted",
          WAIT,
          () -> {
            metrics[0] = nova.get("/debug/nova/metrics").body();
            return Http2AgentIT.count(metrics[0], "/hello", "200", "h2") >= 4
                && Http2AgentIT.count(metrics[0], "/hello", "200", "http/1.1") >= 5;
          });
      String m = metrics[0];
      assertThat(Http2AgentIT.count(m, "/hello", "200", "http/1.1")).as(m).isEqualTo(5);
      assertThat(Http2AgentIT.count(m, "/items/{id}", "200", "http/1.1")).isEqualTo(4);
      assertThat(Http2AgentIT.count(m, "/fail", "500", "http/1.1")).isEqualTo(2);
      assertThat(Http2AgentIT.count(m, "/hello", "200", "h2")).as(m).isEqualTo(4);
      assertThat(Http2AgentIT.count(m, "/items/{id}", "200", "h2")).isEqualTo(1);
      assertThat(Http2AgentIT.count(m, "/fail", "500", "h2")).isEqualTo(1);
      assertThat(m)
          .containsPattern(
              "nova_http_errors_total\\{protocol=\"h2\",route=\"/fail\",status=\"500\",?\\} 1")
          .containsPattern(
              "nova_http_errors_total\\{protocol=\"http/1.1\",route=\"/fail\",status=\"500\",?\\}"
                  + " 2");
      jvm.await(
          "the abandoned /slow counted as a reset",
          WAIT,
          () -> byProtocol(nova).get("h2").get("resetMidRequest").asLong() == 1);
      JsonNode by = byProtocol(nova);
      assertThat(by.get("http/1.1").get("requests").asLong()).as(by.toPrettyString()).isEqualTo(11);
      assertThat(by.get("http/1.1").get("errors5xx").asLong()).isEqualTo(2);
      assertThat(by.get("h2").get("requests").asLong()).isEqualTo(6);
      assertThat(by.get("h2").get("errors5xx").asLong()).isEqualTo(1);
      JsonNode report = nova.get("/debug/nova").json();
      assertThat(report.get("signals").get("http").get("requests").asLong())
          .as("no request counted twice, by a lower layer or a second pipeline")
          .isEqualTo(17);
      assertThat(report.get("agent").get("errors").asLong()).isZero();
      assertThat(report.get("agent").get("instrumentation").get("modules").toString())
          .contains("netty");
    }
  }

  private static JsonNode byProtocol(Http nova) {
    return nova.get("/debug/nova").json().get("signals").get("http").get("byProtocol");
  }

  private static int get(HttpClient client, String url) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** The host's jars (resolved by its {@code src/it} project) and its source, compiled once. */
  private static String classPath(Host host) throws IOException {
    Path dir = Path.of(System.getProperty("nova.servlet.hosts"), host.jars(), "target", "lib");
    String jars;
    try (Stream<Path> s = Files.list(dir)) {
      jars = s.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
    }
    Path out = COMPILED.get(host.jars());
    if (out == null) {
      out = classes.resolve(host.jars());
      Files.createDirectories(out);
      Path src =
          Path.of("src", "test", "reactive-hosts", host.sources(), host.main().replace('.', '/'))
              .toAbsolutePath();
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int code =
          javac.run(
              null,
              null,
              null,
              "--release",
              "17",
              "-nowarn",
              "-cp",
              jars,
              "-d",
              out.toString(),
              src + ".java");
      assertThat(code).as("compiling the " + host + " host").isZero();
      COMPILED.put(host.jars(), out);
    }
    return out + File.pathSeparator + jars;
  }
}

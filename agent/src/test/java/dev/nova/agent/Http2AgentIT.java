package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 on Netty 4.1 and 4.2, in each pipeline shape Netty offers ({@code app.NettyH2Host}),
 * driven by curl: h2c by prior knowledge and by upgrade, h2 over TLS with ALPN. Every request is
 * counted once under {@code protocol="h2"}, 500s as errors, a request given up mid-answer as a
 * reset, and nothing under HTTP/1.1 (the upgrade's 101 included).
 */
class Http2AgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "h2-token";

  @TempDir static Path keys;
  @TempDir Path tmp;
  static Path keystore;

  static Stream<Arguments> shapes() {
    List<Arguments> out = new ArrayList<>();
    for (String netty : List.of("4.1", "4.2")) {
      for (String shape : List.of("frame", "multiplex", "codec", "adapter")) {
        out.add(Arguments.of(netty, shape));
      }
    }
    return out.stream();
  }

  @BeforeAll
  static void keyStore() throws Exception {
    keystore = keys.resolve("server.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "nova",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  /** curl with these options, then these URLs: the status and version of each, one per line. */
  static List<String> curl(List<String> options, String... urls) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("curl", "-s", "-w", "%{http_code} %{http_version}\\n"));
    cmd.addAll(options);
    for (String u : urls) {
      cmd.add("-o");
      cmd.add("/dev/null");
      cmd.add(u);
    }
    // stdout only: curl's progress meter for parallel transfers goes to stderr
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("curl " + cmd).isTrue();
    return new String(p.getInputStream().readAllBytes()).lines().toList();
  }

  /** The count of the request-duration series with these tags, 0 when it is not there. */
  static long count(String metrics, String route, String status, String protocol) {
    Matcher m =
        Pattern.compile(
                "nova_http_request_duration_seconds_count\\{method=\"GET\",protocol=\""
                    + Pattern.quote(protocol)
                    + "\",route=\""
                    + Pattern.quote(route)
                    + "\",status=\""
                    + status
                    + "\",?\\} (\\d+)(\\.0)?")
            .matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @ParameterizedTest(name = "Netty {0}, {1}")
  @MethodSource("shapes")
  void everyStreamIsOneRequestWhateverThePipeline(String netty, String shape) throws Exception {
    try (ForkedJvm jvm =
        ForkedJvm.start(
            Jdks.all().get(0).home(),
            List.of(
                "-Dkeystore=" + keystore,
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=token="
                    + TOKEN
                    + ",port=0,detect.interval=200ms,portFile="
                    + tmp.resolve("port"),
                "-cp",
                Jdks.hostClassPath() + File.pathSeparator + NettyAgentIT.nettyClassPath(netty),
                "app.NettyH2Host",
                shape))) {
      jvm.awaitStdout("host-ready", WAIT);
      String ready =
          jvm.stdout().lines().filter(l -> l.startsWith("host-ready")).findFirst().orElseThrow();
      int clear = Integer.parseInt(ready.replaceAll(".*port=(\\d+).*", "$1"));
      int tls = Integer.parseInt(ready.replaceAll(".*tls=(\\d+).*", "$1"));
      Http nova = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port"), WAIT)));
      String base = "http://127.0.0.1:" + clear;

      // prior knowledge, a connection each (this curl, 7.88, does not reuse a prior-knowledge
      // connection: its second request never goes out, with or without Nova)
      List<String> prior = List.of("--http2-prior-knowledge", "-Z", "--parallel-immediate");
      assertThat(curl(prior, base + "/hello", base + "/hello", base + "/hello", base + "/fail"))
          .containsExactlyInAnyOrder("200 2", "200 2", "200 2", "500 2");
      // over TLS, ALPN choosing h2: one connection, a stream each
      String https = "https://127.0.0.1:" + tls;
      assertThat(
              curl(
                  List.of("--http2", "-k"),
                  https + "/hello",
                  https + "/hello",
                  https + "/fail",
                  https + "/items/100",
                  https + "/items/101",
                  https + "/hello"))
          .containsExactly("200 2", "200 2", "500 2", "200 2", "200 2", "200 2");
      // by upgrade: the first request goes out as HTTP/1.1 and is answered on stream 1, the
      // others on streams 3 and 5 of the same connection
      assertThat(curl(List.of("--http2"), base + "/hello", base + "/items/102", base + "/hello"))
          .containsExactly("200 2", "200 2", "200 2");
      assertThat(curl(List.of("--http2"), base + "/hello")).containsExactly("200 2");
      // a request given up before its answer: the stream is gone mid-request
      assertThat(curl(List.of("--http2-prior-knowledge", "--max-time", "1"), base + "/slow"))
          .noneMatch(l -> l.startsWith("200"));

      String[] metrics = new String[1];
      jvm.await(
          "every request counted under h2",
          WAIT,
          () -> {
            metrics[0] = nova.get("/debug/nova/metrics").body();
            return count(metrics[0], "/hello", "200", "h2") == 9;
          });
      String m = metrics[0];
      assertThat(count(m, "/fail", "500", "h2")).isEqualTo(2);
      assertThat(m)
          .containsPattern(
              "nova_http_errors_total\\{protocol=\"h2\",route=\"/fail\",status=\"500\",?\\} 2");
      assertThat(m).doesNotContain("protocol=\"http/1.1\"");
      JsonNode http = nova.get("/debug/nova").json().get("signals").get("http");
      JsonNode h2 = http.get("byProtocol").get("h2");
      assertThat(h2.get("requests").asLong()).isEqualTo(14);
      assertThat(h2.get("errors5xx").asLong()).isEqualTo(2);
      jvm.await(
          "the abandoned /slow counted as a reset",
          WAIT,
          () ->
              nova.get("/debug/nova")
                      .json()
                      .get("signals")
                      .get("http")
                      .get("byProtocol")
                      .get("h2")
                      .get("resetMidRequest")
                      .asLong()
                  == 1);
      assertThat(http.get("byProtocol").has("http/1.1")).isFalse();
      long items = 0;
      for (JsonNode r : http.get("routes")) {
        if (r.get("route").asText().startsWith("/items")) {
          items += r.get("requests").asLong();
        }
      }
      assertThat(items).isEqualTo(3);
      assertThat(nova.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }
}

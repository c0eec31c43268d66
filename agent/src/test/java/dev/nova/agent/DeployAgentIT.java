package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's "High error rate after deployment" in the process: versions of one small service
 * (the JDK's HTTP server, {@code app.JdkHttpHost}) run one after another with the same {@code
 * state.dir}, as on a VM or a persistent volume.
 */
class DeployAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private record Run(ForkedJvm jvm, Http nova, Http service) {}

  private Run start(String version) throws Exception {
    Path portFile = tmp.resolve("port-" + version);
    ForkedJvm jvm =
        ForkedJvm.start(
            Jdks.all().get(0).home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=port=0,detect.interval=200ms,service.version="
                    + version
                    + ",state.dir="
                    + tmp.resolve("state")
                    + ",portFile="
                    + portFile,
                "-cp",
                Jdks.hostClassPath(),
                "app.JdkHttpHost"));
    jvm.awaitStdout("host-ready", WAIT);
    String out = jvm.stdout();
    int port =
        Integer.parseInt(
            out.substring(out.indexOf("host-ready port=") + 16).trim().split("\\s")[0]);
    return new Run(jvm, new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT))), new Http(port));
  }

  private Path stateFile() throws IOException {
    try (var s = Files.list(tmp.resolve("state"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("state-"))
          .findFirst()
          .orElseThrow();
    }
  }

  /** Waits until the state file records {@code requests} for the running version, then stops it. */
  private void stopOnceSaved(Run r, long requests) throws Exception {
    r.jvm()
        .await(
            "the state file to record " + requests + " requests",
            WAIT,
            () -> {
              try {
                return Files.readString(stateFile()).contains("run.0.requests=" + requests);
              } catch (IOException | RuntimeException e) {
                return false;
              }
            });
    r.jvm().process().getOutputStream().close(); // the host stops when its stdin closes
    assertThat(r.jvm().awaitExit(WAIT)).isZero();
  }

  @Test
  void aStateDirectoryOtherUsersCouldWriteIsRefused() throws Exception {
    Path shared = tmp.resolve("state");
    Files.createDirectories(shared);
    Files.setPosixFilePermissions(
        shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Run v = start("1.0.0");
    try {
      JsonNode deploy = v.nova().get("/debug/nova").json().get("signals").get("deploy");
      assertThat(deploy.get("stateProblem").asText())
          .contains("not this user's alone (rwx------); state is not kept");
      assertThat(deploy.get("stateFile").isNull()).isTrue();
    } finally {
      v.jvm().close();
    }
  }

  private static void traffic(Run r, int ok, int failing) {
    for (int i = 0; i < ok; i++) {
      assertThat(r.service().get("/api/items").status()).isEqualTo(200);
    }
    for (int i = 0; i < failing; i++) {
      assertThat(r.service().get("/boom").status()).isEqualTo(500);
    }
  }

  private static JsonNode finding(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("code").asText().equals(code)) {
        return f;
      }
    }
    return null;
  }

  @Test
  void aVersionAnswering10PercentErrorsAfterACleanOneIsDeployRegressionAndACleanOneAfterIsNot()
      throws Exception {
    Run v1 = start("1.0.0");
    traffic(v1, 100, 0);
    assertThat(finding(v1.nova().get("/debug/nova").json(), "DEPLOY_REGRESSION")).isNull();
    stopOnceSaved(v1, 100);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tmp.resolve("state"))))
        .isEqualTo("rwx------");

    Run v2 = start("2.0.0");
    try {
      JsonNode deploy = v2.nova().get("/debug/nova").json().get("signals").get("deploy");
      assertThat(deploy.get("version").asText()).isEqualTo("2.0.0");
      assertThat(deploy.get("previousVersion").asText()).isEqualTo("1.0.0");
      traffic(v2, 90, 10); // every request sent and answered before the wait below
      // the detectors run every 200 ms during the traffic too, and the JDK server's filter counts a
      // request once its handler returns, which can be after the client has its answer: a round
      // between the failing requests sees 3 in 93 (MEDIUM). Judge the round that saw all 100
      JsonNode[] found = new JsonNode[1];
      v2.jvm()
          .await(
              () -> "DEPLOY_REGRESSION over all 100 requests (last seen: " + found[0] + ")",
              WAIT,
              () -> {
                JsonNode g = finding(v2.nova().get("/debug/nova").json(), "DEPLOY_REGRESSION");
                found[0] = g;
                return g != null && g.get("evidence").get("requests").asLong() == 100;
              });
      JsonNode f = found[0];
      assertThat(f.get("severity").asText()).isEqualTo("HIGH");
      assertThat(f.get("title").asText())
          .contains("5xx share 10.0% since 2.0.0 started")
          .contains("1.0.0")
          .contains("roll back");
      JsonNode e = f.get("evidence");
      assertThat(e.get("previousVersion").asText()).isEqualTo("1.0.0");
      assertThat(e.get("errorShare").asDouble()).isEqualTo(0.1);
      assertThat(e.get("errorShareBefore").asDouble()).isZero();
      assertThat(e.get("requestsBefore").asLong()).isEqualTo(100);
      assertThat(e.get("routesWorse").get(0).get("route").asText()).isEqualTo("/boom");
      assertThat(v2.nova().get("/debug/nova/metrics").body())
          .containsPattern("nova_info\\{mode=\"agent\",nova=\"[^\"]+\",version=\"2.0.0\"} 1");
      stopOnceSaved(v2, 100);
    } finally {
      v2.jvm().close();
    }

    Run v3 = start("3.0.0");
    try {
      traffic(v3, 100, 0);
      stopOnceSaved(v3, 100); // every round has seen the full figures by then
      assertThat(v3.jvm().stderr()).doesNotContain("DEPLOY_REGRESSION");
    } finally {
      v3.jvm().close();
    }
    String state = Files.readString(stateFile());
    assertThat(state).contains("run.0.version=3.0.0").contains("run.1.version=2.0.0");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stateFile())))
        .isEqualTo("rw-------");
  }

  @Test
  void aCorruptStateFileIsReportedAndIgnored() throws Exception {
    Files.createDirectories(
        tmp.resolve("state"),
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    Files.writeString(
        tmp.resolve("state").resolve("state-app.JdkHttpHost.properties"),
        "\u0000garbage=\u00ff\n{json:1}");
    Run v = start("1.0.0");
    try {
      JsonNode deploy = v.nova().get("/debug/nova").json().get("signals").get("deploy");
      assertThat(deploy.get("stateProblem").asText()).contains("is not Nova's").contains("ignored");
      assertThat(deploy.has("previousVersion")).isFalse();
      traffic(v, 30, 0);
      stopOnceSaved(v, 30); // and it was replaced by a good one
    } finally {
      v.jvm().close();
    }
  }
}

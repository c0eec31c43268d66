package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /debug/nova/ui} in a real headless Chromium (Debian's {@code chromium}, driven by {@code
 * playwright-core} from core/src/ui), against a forked host whose threads leak. {@code .ci/run}
 * installs Chromium; with it missing the test is skipped, except under {@code CI=true} or {@code
 * NOVA_UI_REQUIRED=true}.
 */
class UiBrowserIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "ui-token-" + Long.toHexString(System.nanoTime());
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path UI = Path.of("..", "core", "src", "ui");

  @TempDir Path tmp;

  @Test
  void thePageShowsTheFindingPlotsTheHeapAndRunsADryRunWithThePastedToken() throws Exception {
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
    Path portFile = tmp.resolve("port");
    try (ForkedJvm jvm =
        ForkedJvm.start(
            Jdks.all().get(0).home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=token="
                    + TOKEN
                    + ",port=0,detect.interval=200ms,history.interval=1s,threads.window=6s,portFile="
                    + portFile,
                "-cp",
                Jdks.hostClassPath(),
                "app.MemoryHost",
                "threads"))) {
      int port = Integer.parseInt(jvm.awaitFile(portFile, WAIT));
      Http http = new Http(port);
      jvm.await(
          "THREAD_LEAK", WAIT, () -> http.get("/debug/nova").body().contains("\"THREAD_LEAK\""));
      Http.Answer page = http.get("/debug/nova/ui");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("Content-Security-Policy"))
          .startsWith("default-src 'none'; script-src 'self'");
      assertThat(http.get("/debug/nova/ui/licenses/uplot.txt").body()).contains("MIT");
      assertThat(http.get("/debug/nova/ui/../../etc/passwd").status()).isIn(400, 404);

      Path shot = Path.of("target", "ui-screenshot.png").toAbsolutePath();
      Process p =
          new ProcessBuilder(
                  "node", "test/page-check.mjs", "http://127.0.0.1:" + port, TOKEN, shot.toString())
              .directory(UI.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isZero();
      JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
      assertThat(seen.get("codes").toString()).contains("THREAD_LEAK");
      // the one error the browser logs is the refused dry run with the wrong token, on purpose
      List<String> errors = new java.util.ArrayList<>();
      seen.get("errors").forEach(e -> errors.add(e.asText()));
      assertThat(errors)
          .as("console errors")
          .allMatch(e -> e.contains("status of 401"))
          .hasSizeLessThanOrEqualTo(1);
      assertThat(seen.get("outside")).as("requests leaving the admin listener").isEmpty();
      assertThat(seen.get("heapPoints").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(seen.get("wrong").asText()).contains("HTTP 401");
      assertThat(seen.get("answer").asText()).contains("would");
      assertThat(seen.get("stored").asInt()).as("nothing stored").isZero();
      assertThat(seen.get("tokenInUrl").asBoolean()).isFalse();
      assertThat(seen.get("text").asText()).contains("THREAD_LEAK");
      assertThat(Files.size(shot)).isPositive();
    }
  }
}

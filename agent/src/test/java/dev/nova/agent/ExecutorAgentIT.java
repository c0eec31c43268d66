package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host's own thread pools through the agent, with no code of Nova's in the host: a pool made
 * with {@code Executors.newFixedThreadPool} as the program starts (before Nova's core is up) is
 * found, named by the line that made it, and saturated it is {@code EXECUTOR_SATURATED} pointing at
 * that line; Nova's own pools and the JDK's are not listed.
 */
class ExecutorAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  static List<Jdks.Jdk> jdks() {
    return Jdks.all();
  }

  private static void say(ForkedJvm jvm, String line) throws IOException {
    OutputStream in = jvm.process().getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    jvm.awaitStdout("done " + line, WAIT);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aPoolTheHostMakesIsFoundAndItsSaturationNamesWhereItWasMade(Jdks.Jdk jdk) throws Exception {
    Path portFile = tmp.resolve("port");
    try (ForkedJvm jvm =
        ForkedJvm.start(
            jdk.home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=port=0,detect.interval=200ms,executor.window=1s,portFile="
                    + portFile,
                "-cp",
                Jdks.hostClassPath(),
                "app.JobsHost"))) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
      jvm.awaitStdout("host-ready", WAIT);
      JsonNode pools = http.get("/debug/nova").json().get("signals").get("executors");
      assertThat(pools).as("the host's pool, made before Nova's core was up").isNotNull();
      List<String> names = new java.util.ArrayList<>();
      pools.fieldNames().forEachRemaining(names::add);
      assertThat(names)
          .as("the host's one pool, named where it was made; none of Nova's or the JDK's")
          .singleElement()
          .asString()
          .startsWith("app.JobsHost$Reports.<init>(JobsHost.java:");
      String name = names.get(0);
      assertThat(pools.get(name).get("maxSize").asInt()).isEqualTo(2);

      say(jvm, "jobs 5");
      JsonNode[] found = new JsonNode[1];
      jvm.await(
          "EXECUTOR_SATURATED",
          WAIT,
          () -> {
            for (JsonNode f : http.get("/debug/nova").json().get("findings")) {
              if (f.get("code").asText().equals("EXECUTOR_SATURATED")) {
                found[0] = f;
                return true;
              }
            }
            return false;
          });
      JsonNode e = found[0].get("evidence");
      assertThat(e.get("executor").asText()).isEqualTo(name);
      assertThat(e.get("active").asInt()).isEqualTo(2);
      assertThat(e.get("queued").asInt()).isEqualTo(3);
      assertThat(e.get("createdAt").asText()).isEqualTo(name);
      assertThat(found[0].get("where").asText())
          .as("no worker names to read (the JDK's default factory): the line that sized the pool")
          .isEqualTo(name);

      say(jvm, "feed");
      jvm.await(
          "the queue drained",
          WAIT,
          () ->
              http.get("/debug/nova")
                      .json()
                      .get("signals")
                      .get("executors")
                      .get(name)
                      .get("completed")
                      .asInt()
                  == 5);
      assertThat(http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }
}

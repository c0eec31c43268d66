package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runbook scenario 1's high CPU and hung threads through the agent, on an unmodified program. */
class CpuAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "cpu-token";

  @TempDir Path tmp;

  static List<Jdks.Jdk> jdks() {
    return Jdks.all();
  }

  private ForkedJvm host(Jdks.Jdk jdk, String mode, Path portFile) throws Exception {
    return host(
        jdk, mode, "detect.interval=200ms,jfr.delay=0s,cpu.window=3s,lock.window=3s", portFile);
  }

  private ForkedJvm host(Jdks.Jdk jdk, String mode, String options, Path portFile)
      throws Exception {
    ForkedJvm jvm =
        ForkedJvm.start(
            jdk.home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=token="
                    + TOKEN
                    + ",port=0,"
                    + options
                    + ",portFile="
                    + portFile,
                "-cp",
                Jdks.hostClassPath(),
                "app.CpuHost",
                mode));
    jvm.awaitStdout("host-ready", WAIT);
    return jvm;
  }

  private static JsonNode finding(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("code").asText().equals(code)) {
        return f;
      }
    }
    return null;
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void spinningThreadsAreCpuSaturationNamingTheMethodAndTheProfileHasItOnTop(Jdks.Jdk jdk)
      throws Exception {
    Path portFile = tmp.resolve("port-spin");
    try (ForkedJvm jvm = host(jdk, "spin", portFile)) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
      JsonNode[] found = new JsonNode[1];
      jvm.await(
          "CPU_SATURATION naming app.CpuHost.spin from JFR's samples",
          WAIT,
          () -> {
            JsonNode f = finding(http.get("/debug/nova").json(), "CPU_SATURATION");
            found[0] = f;
            // the first reports may rest on the threads' stacks; JFR's samples take over
            return f != null
                && f.get("evidence").get("sampledBy").asText().startsWith("JFR")
                && f.get("evidence").get("hottestMethods").toString().contains("app.CpuHost.spin");
          });
      JsonNode e = found[0].get("evidence");
      assertThat(found[0].get("severity").asText()).isEqualTo("MEDIUM");
      assertThat(e.get("cpuShare").asDouble()).isGreaterThan(0.8);
      JsonNode top = e.get("hottestMethods").get(0);
      assertThat(top.get("method").asText()).isEqualTo("app.CpuHost.spin");
      assertThat(top.get("shareOfSamples").asDouble()).isGreaterThan(0.5);
      assertThat(top.get("stack").get(0).asText()).startsWith("app.CpuHost.spin(CpuHost.java:");
      assertThat(e.get("busiestThreads").toString()).contains("spinner-");
      assertThat(found[0].get("actions").toString()).contains("cpu-profile");

      JsonNode profile = http.post("/debug/nova/actions/cpu-profile?seconds=2", TOKEN).json();
      assertThat(profile.get("samples").asLong()).as(profile.toString()).isPositive();
      assertThat(profile.get("hottestApplicationMethods").get(0).get("method").asText())
          .isEqualTo("app.CpuHost.spin");
      assertThat(profile.get("topSelf").get(0).get("method").asText())
          .isEqualTo("app.CpuHost.spin");
      String line = profile.get("collapsed").get(0).asText();
      assertThat(line).matches("java\\.lang\\.Thread\\.run;.*app\\.CpuHost\\.spin \\d+");
      JsonNode dry = http.post("/debug/nova/actions/cpu-profile?dryRun=true", TOKEN).json();
      assertThat(dry.get("wouldSample").asText()).contains("10 s");
      assertThat(http.post("/debug/nova/actions/cpu-profile?seconds=61", TOKEN).status())
          .isEqualTo(400);
      assertThat(http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }

  /**
   * Issue 24: a JVM that spins from its first second, with the default round and JFR delay: the
   * first report that carries CPU_SATURATION (and its log line) already names the spinning method
   * and the busy threads, though JFR may not have delivered a sample yet.
   */
  @ParameterizedTest
  @MethodSource("jdks")
  void theFirstReportOfCpuSaturationNamesTheSpinningMethod(Jdks.Jdk jdk) throws Exception {
    Path portFile = tmp.resolve("port-first");
    try (ForkedJvm jvm = host(jdk, "spin", "cpu.window=15s", portFile)) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
      JsonNode[] first = new JsonNode[1];
      jvm.await(
          "CPU_SATURATION raised",
          WAIT,
          () -> (first[0] = finding(http.get("/debug/nova").json(), "CPU_SATURATION")) != null);
      JsonNode f = first[0];
      JsonNode e = f.get("evidence");
      assertThat(f.get("where").asText()).as(f.toString()).startsWith("app.CpuHost.spin(");
      assertThat(e.get("hottestMethods").get(0).get("method").asText())
          .as(e.toString())
          .isEqualTo("app.CpuHost.spin");
      assertThat(e.get("samples").asLong()).isPositive();
      JsonNode busiest = e.get("busiestThreads");
      assertThat(busiest.size()).as(e.toString()).isPositive();
      assertThat(busiest.get(0).get("thread").asText()).startsWith("spinner-");
      assertThat(busiest.get(0).get("stack").get(0).asText()).startsWith("app.CpuHost.spin(");
      jvm.await(
          () -> "the finding's log line naming the method, in:\n" + jvm.stderr(),
          WAIT,
          () -> jvm.stderr().lines().anyMatch(l -> l.contains("finding raised CPU_SATURATION")));
      String line =
          jvm.stderr()
              .lines()
              .filter(l -> l.contains("finding raised CPU_SATURATION"))
              .findFirst()
              .orElseThrow();
      assertThat(line).contains(" at app.CpuHost.spin(CpuHost.java:");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void deadlocksOnMonitorsAndOnLocksAreEachACycleWithBothStacks(Jdks.Jdk jdk) throws Exception {
    Path portFile = tmp.resolve("port-deadlock");
    try (ForkedJvm jvm = host(jdk, "deadlock", portFile)) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
      JsonNode[] found = new JsonNode[1];
      jvm.await(
          "THREAD_DEADLOCK with two cycles",
          WAIT,
          () -> {
            JsonNode f = finding(http.get("/debug/nova").json(), "THREAD_DEADLOCK");
            found[0] = f;
            return f != null && f.get("evidence").get("cycles").asInt() == 2;
          });
      assertThat(found[0].get("severity").asText()).isEqualTo("CRITICAL");
      List<String> cycles = new ArrayList<>();
      for (JsonNode c : found[0].get("evidence").get("cyclesFound")) {
        assertThat(c.get("threads").asInt()).isEqualTo(2);
        List<String> names = new ArrayList<>();
        for (JsonNode t : c.get("cycle")) {
          names.add(t.get("thread").asText());
          assertThat(t.get("state").asText()).isIn("BLOCKED", "WAITING");
          assertThat(t.get("ownedBy").asText()).isNotEqualTo("null");
          assertThat(t.get("stack").toString())
              .containsAnyOf("app.CpuHost.monitors(", "app.CpuHost.locks(");
        }
        cycles.add(String.join(",", names.stream().sorted().toList()));
      }
      assertThat(cycles).containsExactlyInAnyOrder("monitor-a,monitor-b", "lock-a,lock-b");
      JsonNode dump = http.post("/debug/nova/actions/thread-dump", TOKEN).json();
      assertThat(dump.get("deadlockedThreads").asInt()).isEqualTo(4);
      assertThat(dump.get("threadGroups").toString()).contains("\"deadlocked\"");
      assertThat(http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aConvoyOnOneMonitorIsLockContentionWithTheOwnerAndTheWaiters(Jdks.Jdk jdk) throws Exception {
    Path portFile = tmp.resolve("port-convoy");
    try (ForkedJvm jvm = host(jdk, "convoy", portFile)) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
      JsonNode[] found = new JsonNode[1];
      jvm.await(
          "LOCK_CONTENTION on the convoy's monitor",
          WAIT,
          () -> (found[0] = finding(http.get("/debug/nova").json(), "LOCK_CONTENTION")) != null);
      JsonNode e = found[0].get("evidence");
      assertThat(found[0].get("severity").asText()).isEqualTo("HIGH");
      assertThat(e.get("lockClass").asText()).isEqualTo("java.lang.Object");
      assertThat(e.get("waitersNow").asInt()).isGreaterThanOrEqualTo(4);
      assertThat(e.get("waitersPool").asText()).isEqualTo("convoy-{n}");
      assertThat(e.get("waitSecondsPerSecond").asDouble()).isGreaterThanOrEqualTo(4.0);
      assertThat(e.get("owner").asText()).startsWith("convoy-");
      assertThat(found[0].get("where").asText()).startsWith("app.CpuHost.convoy(CpuHost.java:");
      assertThat(e.get("ownerStack").toString()).contains("app.CpuHost.convoy(");
      assertThat(e.get("waiters").get(0).get("stack").get(0).asText())
          .startsWith("app.CpuHost.convoy(CpuHost.java:");
      assertThat(finding(http.get("/debug/nova").json(), "THREAD_DEADLOCK")).isNull();
      assertThat(http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }
}

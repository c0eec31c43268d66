package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runbook scenario 5 through the agent: a JVM that retains memory, one that starts threads. */
class MemoryAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "memory-token";

  @TempDir Path tmp;

  static List<Jdks.Jdk> jdks() {
    return Jdks.all();
  }

  private ForkedJvm host(Jdks.Jdk jdk, String mode, String options) throws Exception {
    Path portFile = tmp.resolve("port-" + mode);
    return ForkedJvm.start(
        jdk.home(),
        List.of(
            "-Xmx512m",
            "-javaagent:"
                + Jdks.agentJar()
                + "=token="
                + TOKEN
                + ",port=0,detect.interval=200ms,jfr.delay=0s,portFile="
                + portFile
                + ","
                + options,
            "-cp",
            Jdks.hostClassPath(),
            "app.MemoryHost",
            mode));
  }

  private static JsonNode finding(JsonNode report, String code) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("code").asText().equals(code)) {
        return f;
      }
    }
    return null;
  }

  private static JsonNode await(ForkedJvm jvm, Http http, String code) {
    JsonNode[] found = new JsonNode[1];
    jvm.await(code, WAIT, () -> (found[0] = finding(http.get("/debug/nova").json(), code)) != null);
    return found[0];
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void retainedMemoryIsHeapGrowthWithSlopeAndProjection(Jdks.Jdk jdk) throws Exception {
    try (ForkedJvm jvm = host(jdk, "retain", "heap.window=6s")) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port-retain"), WAIT)));
      JsonNode[] found = new JsonNode[1];
      jvm.await(
          "HEAP_GROWTH with a leak candidate at the retaining method",
          WAIT,
          () -> {
            JsonNode g = finding(http.get("/debug/nova").json(), "HEAP_GROWTH");
            found[0] = g;
            return g != null
                && g.get("evidence")
                    .get("leakCandidates")
                    .toString()
                    .contains("app.MemoryHost.retainOneMegabyte(");
          });
      JsonNode f = found[0];
      JsonNode e = f.get("evidence");
      JsonNode candidate = null;
      for (JsonNode c : e.get("leakCandidates")) {
        if (c.get("allocatedAt").asText().startsWith("app.MemoryHost.retainOneMegabyte(")) {
          candidate = c;
        }
      }
      assertThat(candidate).isNotNull();
      assertThat(candidate.get("type").asText()).isEqualTo("byte[]");
      assertThat(candidate.get("liveSamples").asInt()).isPositive();
      assertThat(e.get("leakCandidatesFrom").asText()).startsWith("on: jdk.OldObjectSample");
      // 1 MB per 100 ms is 600 MB a minute; allow for the collector's and the scheduler's jitter
      assertThat(e.get("slopeMbPerMin").asDouble()).isBetween(300.0, 900.0);
      assertThat(e.get("projectedExhaustionMinutes").asDouble()).isLessThan(2.0);
      assertThat(e.get("majorCollections").asInt()).isPositive();
      assertThat(f.get("severity").asText()).isEqualTo("CRITICAL");
      JsonNode heap = http.get("/debug/nova").json().get("signals").get("heap");
      assertThat(heap.get("afterGcSeries").size()).isPositive();
      assertThat(heap.get("bufferPools").has("direct")).isTrue();
      assertThat(heap.get("allocationMbPerSecond").asDouble()).isPositive();
      assertThat(heap.get("topAllocations").toString()).contains("app.MemoryHost.");
      assertThat(http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }

  @Test
  void garbageChurnWithoutRetentionRaisesNothing() throws Exception {
    try (ForkedJvm jvm = host(Jdks.all().get(0), "churn", "heap.window=6s")) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port-churn"), WAIT)));
      // two full windows of churn, watched all along
      long end = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      int rounds = 0;
      while (System.nanoTime() < end) {
        JsonNode r = http.get("/debug/nova").json();
        assertThat(r.get("findings")).as(r.toPrettyString()).isEmpty();
        rounds++;
        Thread.sleep(250); // pacing the watch over a fixed observation period
      }
      assertThat(rounds).isGreaterThan(20);
      JsonNode series =
          http.get("/debug/nova").json().get("signals").get("heap").get("afterGcSeries");
      assertThat(series.size()).isGreaterThanOrEqualTo(5);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void threadsStartedAndNeverStoppedAreALeakWithTheirCreationSite(Jdks.Jdk jdk) throws Exception {
    try (ForkedJvm jvm = host(jdk, "threads", "threads.window=6s")) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port-threads"), WAIT)));
      jvm.await(
          "THREAD_LEAK with its creation site",
          WAIT,
          () -> {
            JsonNode f = finding(http.get("/debug/nova").json(), "THREAD_LEAK");
            return f != null && f.get("evidence").get("byCreationSite").size() > 0;
          });
      JsonNode e = finding(http.get("/debug/nova").json(), "THREAD_LEAK").get("evidence");
      JsonNode site = e.get("byCreationSite").get(0);
      assertThat(site.get("startedAt").asText())
          .startsWith("app.MemoryHost.startWorker(MemoryHost.java:");
      assertThat(site.get("liveThreads").asInt()).isGreaterThanOrEqualTo(10);
      assertThat(e.get("creationSites").asText())
          .isEqualTo("on: the agent's advice on java.lang.Thread.start");
      assertThat(e.get("byName").get(0).get("pattern").asText()).isEqualTo("leaky-worker-{n}");
      assertThat(e.get("perMinute").asDouble()).isBetween(200.0, 900.0);
      JsonNode threads = http.get("/debug/nova").json().get("signals").get("threads");
      assertThat(threads.get("startedInWindow").asLong()).isGreaterThanOrEqualTo(10);
      assertThat(threads.get("endedInWindow").asLong()).isGreaterThanOrEqualTo(0);

      JsonNode dump = http.post("/debug/nova/actions/thread-dump", TOKEN).json();
      boolean siteInDump = false;
      for (JsonNode g : dump.get("threadGroups")) {
        if (g.has("startedAt")
            && g.get("startedAt").toString().contains("app.MemoryHost.startWorker(")) {
          siteInDump = true;
        }
      }
      assertThat(siteInDump).as(dump.toPrettyString()).isTrue();
      assertThat(http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
    }
  }

  @Test
  void withoutJfrTheAgentStillKnowsWhereThreadsStartAndNoStreamRuns() throws Exception {
    try (ForkedJvm jvm = host(Jdks.all().get(0), "threads", "jfr=false,threads.window=6s")) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port-threads"), WAIT)));
      JsonNode f = await(jvm, http, "THREAD_LEAK");
      assertThat(f.get("evidence").get("creationSites").asText())
          .isEqualTo("on: the agent's advice on java.lang.Thread.start");
      assertThat(f.get("evidence").get("byCreationSite").get(0).get("startedAt").asText())
          .startsWith("app.MemoryHost.startWorker(MemoryHost.java:");
      JsonNode report = http.get("/debug/nova").json();
      assertThat(report.get("agent").get("instrumentation").get("transformedTypes").toString())
          .contains("java.lang.Thread");
      JsonNode cpu = report.get("agent").get("cpu");
      assertThat(cpu.get("budget").asDouble()).isEqualTo(0.05);
      assertThat(cpu.get("cpuSecondsSinceStart").asDouble()).isPositive();
      assertThat(cpu.get("byThread").toString()).contains("nova-");
    }
  }

  @Test
  void withoutJfrAndTheThreadHookTheReportSaysWhatIsMissing() throws Exception {
    try (ForkedJvm jvm =
        host(
            Jdks.all().get(0),
            "threads",
            "jfr=false,instrumentation.off=threads,threads.window=6s")) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(tmp.resolve("port-threads"), WAIT)));
      JsonNode f = await(jvm, http, "THREAD_LEAK");
      assertThat(f.get("evidence").get("creationSites").asText()).contains("jfr=false");
      assertThat(f.get("evidence").get("byCreationSite")).isEmpty();
      assertThat(f.get("evidence").get("byName").get(0).get("pattern").asText())
          .isEqualTo("leaky-worker-{n}");
    }
  }

  @Test
  void aCaffeineCacheTheHostBuiltIsFoundAndTrimmed() throws Exception {
    Path portFile = tmp.resolve("port-cache");
    try (ForkedJvm jvm =
        ForkedJvm.start(
            Jdks.all().get(0).home(),
            List.of(
                "-javaagent:"
                    + Jdks.agentJar()
                    + "=token="
                    + TOKEN
                    + ",port=0,portFile="
                    + portFile,
                "-cp",
                Jdks.hostClassPath()
                    + java.io.File.pathSeparator
                    + System.getProperty("nova.host.libs"),
                "app.CacheHost"))) {
      Http http = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
      jvm.awaitStdout("host-ready", WAIT);
      JsonNode caches = http.get("/debug/nova").json().get("signals").get("caches");
      assertThat(caches).as("signals.caches").isNotNull();
      assertThat(caches.size()).isEqualTo(1);
      String name = caches.fieldNames().next();
      assertThat(name).startsWith("caffeine@");
      assertThat(caches.get(name).get("size").asLong()).isEqualTo(1_000);

      Http.Answer trim = http.post("/debug/nova/actions/cache-trim?fraction=0.1", TOKEN);
      assertThat(trim.status()).isEqualTo(200);
      assertThat(trim.json().get("caches").get(0).get("removed").asLong()).isEqualTo(900);
      jvm.closeStdin();
      assertThat(jvm.awaitExit(WAIT)).isZero();
      assertThat(jvm.stdout()).contains("size 100");
    }
  }
}

package dev.nova.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.core.area.Area;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.remediation.Param;
import dev.nova.testing.Http;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A service that depends on core and starts Nova from code. */
class NovaLibraryTest {

  @Test
  void oneCallStartsTheProcessWideInstanceAndASecondReturnsIt() {
    Nova nova = Nova.start(Map.of("port", "0"));
    try {
      assertThat(Nova.start()).isSameAs(nova);
      assertThat(Nova.current()).containsSame(nova);
      int port = nova.address().orElseThrow().getPort();
      assertThat(new Http(port).get("/debug/nova").status()).isEqualTo(200);
    } finally {
      nova.close();
    }
    assertThat(Nova.current()).isEmpty();
  }

  @Test
  void theServicesOwnRegistryGetsNovasMetersToo() {
    SimpleMeterRegistry mine = new SimpleMeterRegistry();
    try (Nova nova = Nova.builder().option("port", "0").meterRegistry(mine).start()) {
      assertThat(mine.find("nova.agent.errors").functionCounters()).hasSize(3);
      assertThat(mine.find("nova.heap.used").gauge()).isNotNull();
      String scraped =
          new Http(nova.address().orElseThrow().getPort()).get("/debug/nova/metrics").body();
      assertThat(scraped).contains("nova_heap_used_bytes");
    }
  }

  @Test
  void findingsAppearInTheReportMostSevereFirst() {
    try (Nova nova = Nova.builder().option("port", "0").start()) {
      nova.addDetector(detector("low", Severity.LOW, "HTTP_SLOW"));
      nova.addDetector(detector("critical", Severity.CRITICAL, "DB_UNREACHABLE"));
      nova.scheduler().runOnce();
      var report = new Http(nova.address().orElseThrow().getPort()).get("/debug/nova").json();
      assertThat(report.get("severity").asText()).isEqualTo("CRITICAL");
      assertThat(report.get("findings").get(0).get("code").asText()).isEqualTo("DB_UNREACHABLE");
      assertThat(report.get("findings").get(1).get("code").asText()).isEqualTo("HTTP_SLOW");
      var f = report.get("findings").get(0);
      assertThat(f.get("evidence").get("stack").get(0).asText())
          .matches("[\\w$.]+\\.[\\w$<>]+\\(\\w+\\.java:\\d+\\)");
      assertThat(f.get("evidence").get("count").asInt()).isEqualTo(3);
      assertThat(f.get("actions").get(0).asText()).isEqualTo("thread-dump");
      String text =
          new Http(nova.address().orElseThrow().getPort()).get("/debug/nova?format=text").body();
      assertThat(text)
          .contains("[CRITICAL] DB_UNREACHABLE")
          .contains("POST /debug/nova/actions/thread-dump");
    }
  }

  @Test
  void aDetectorThatThrowsNeverReachesTheHost() {
    try (Nova nova = Nova.builder().option("port", "0").option("detect.interval", "50ms").start()) {
      nova.addDetector(
          new Detector() {
            @Override
            public String name() {
              return "exploding";
            }

            @Override
            public List<Finding> evaluate(NovaClock clock) {
              throw new OutOfMemoryError("pretend the detector ran out of memory");
            }
          });
      Http http = new Http(nova.address().orElseThrow().getPort());
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (nova.health().detectorFailures() < 3 && System.nanoTime() < deadline) {
        assertThat(http.get("/debug/nova").status()).isEqualTo(200);
      }
      assertThat(nova.health().detectorFailures()).isGreaterThanOrEqualTo(3);
      var agent = http.get("/debug/nova").json().get("agent");
      assertThat(agent.get("detectorFailures").asLong()).isGreaterThanOrEqualTo(3);
      JsonNode exploding = null;
      for (JsonNode d : agent.get("detectors")) {
        if (d.get("name").asText().equals("exploding")) {
          exploding = d;
        }
      }
      assertThat(exploding).isNotNull();
      assertThat(exploding.get("lastError").asText())
          .contains("pretend the detector ran out of memory");
      assertThat(nova.health().suppressedErrors()).isZero();
    }
  }

  @Test
  void anAreaOfTheServicesOwnInstallsItsPartsAndLivesAsLongAsNova() {
    List<String> life = new CopyOnWriteArrayList<>();
    Area mine =
        Area.of(
            "orders",
            w -> {
              life.add("install hold=" + w.hold().toSeconds() + "s");
              w.detector(detector("orders", Severity.MEDIUM, "HTTP_SLOW"));
              w.signal(SignalSource.of("orders", () -> Map.of("open", 7)));
              w.view("orders", () -> Map.of("oldest", "o-1"));
              w.action(
                  new Action() {
                    @Override
                    public String name() {
                      return "orders-flush";
                    }

                    @Override
                    public String description() {
                      return "flushes the order queue";
                    }

                    @Override
                    public List<Param<?>> params() {
                      return List.of();
                    }

                    @Override
                    public Map<String, Object> run(ActionRequest request) {
                      return Map.of("flushed", 0);
                    }
                  });
              w.bridge(() -> life.add("bridge in"), () -> life.add("bridge out"));
              w.onStart(() -> life.add("start"));
              w.onClose(() -> life.add("close"));
            });
    Nova nova = Nova.builder().option("port", "0").option("findings.hold", "7s").area(mine).start();
    try {
      assertThat(life).containsExactly("install hold=7s", "bridge in", "start");
      nova.scheduler().runOnce();
      Http http = new Http(nova.address().orElseThrow().getPort());
      JsonNode report = http.get("/debug/nova").json();
      assertThat(report.get("signals").get("orders").get("open").asInt()).isEqualTo(7);
      assertThat(report.get("findings").findValuesAsText("code")).contains("HTTP_SLOW");
      List<String> areas = new ArrayList<>();
      report.get("agent").get("areas").forEach(n -> areas.add(n.asText()));
      assertThat(areas)
          .containsExactly(
              "jvm",
              "threads",
              "heap",
              "cpu",
              "jdbc",
              "http",
              "grpc",
              "deps",
              "caches",
              "orders",
              "deploy",
              "metrics",
              "history",
              "incidents",
              "autopilot",
              "fleet");
      assertThat(http.get("/debug/nova/orders").json().get("oldest").asText()).isEqualTo("o-1");
      assertThat(http.get("/debug/nova/actions").json().get("actions").findValuesAsText("name"))
          .contains("orders-flush", "thread-dump", "pool-reset", "cache-trim", "ws-close-idle");
    } finally {
      nova.close();
    }
    // closed last first: what the area registered after the bridge goes before it
    assertThat(life)
        .containsExactly("install hold=7s", "bridge in", "start", "close", "bridge out");
  }

  @Test
  void aDisabledNovaInstallsItsAreasButStartsNone() {
    List<String> life = new CopyOnWriteArrayList<>();
    Area mine = Area.of("orders", w -> w.onStart(() -> life.add("start")));
    try (Nova nova = Nova.builder().option("enabled", "false").area(mine).start()) {
      assertThat(nova.address()).isEmpty();
      assertThat(nova.report().sections().get("nova").toString())
          .contains("Nova is disabled (enabled=false)");
    }
    assertThat(life).isEmpty();
  }

  private static Detector detector(String name, Severity severity, String code) {
    return new Detector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Finding> evaluate(NovaClock clock) {
        return List.of(
            new Finding(
                code,
                severity,
                "a " + name + " finding",
                Evidence.builder()
                    .put("count", 3)
                    .stack("stack", new Throwable().getStackTrace(), 5)
                    .build(),
                List.of("thread-dump")));
      }
    };
  }
}

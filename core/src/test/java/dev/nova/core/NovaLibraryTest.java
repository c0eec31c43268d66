package dev.nova.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.testing.Http;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
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

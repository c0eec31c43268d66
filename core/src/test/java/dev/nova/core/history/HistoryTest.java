package dev.nova.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.nova.core.Nova;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.testing.Http;
import dev.nova.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The samples behind the plots, from a real HTTP server observed in library mode. */
class HistoryTest {

  @Test
  void eachIntervalIsOneSampleWithRatesSharesAndRoutes() throws Exception {
    ManualClock clock = new ManualClock();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    try (Nova nova =
        Nova.builder().option("port", "0").option("history.interval", "1s").clock(clock).start()) {
      nova.http()
          .observe(
              server.createContext(
                  "/items",
                  ex -> {
                    ex.sendResponseHeaders(200, 2);
                    ex.getResponseBody().write("ok".getBytes());
                    ex.close();
                  }));
      nova.http()
          .observe(
              server.createContext(
                  "/boom",
                  ex -> {
                    ex.sendResponseHeaders(500, -1);
                    ex.close();
                  }));
      server.start();
      Http service = new Http(server.getAddress().getPort());
      Http admin = new Http(nova.address().orElseThrow().getPort());

      nova.scheduler().runOnce(); // the first sample: nothing to take a rate of yet
      for (int i = 0; i < 9; i++) {
        assertThat(service.get("/items").status()).isEqualTo(200);
      }
      assertThat(service.get("/boom").status()).isEqualTo(500);
      clock.advance(Duration.ofSeconds(1));
      nova.scheduler().runOnce();
      clock.advance(Duration.ofMillis(400));
      nova.scheduler().runOnce(); // not due: no third sample

      JsonNode h = admin.get("/debug/nova/history").json();
      assertThat(h.get("intervalSeconds").asDouble()).isEqualTo(1.0);
      assertThat(h.get("capacity").asInt()).isEqualTo(3600);
      JsonNode samples = h.get("samples");
      assertThat(samples.size()).isEqualTo(2);
      JsonNode s = samples.get(1);
      assertThat(s.get("t").asLong()).isGreaterThan(samples.get(0).get("t").asLong());
      assertThat(s.get("httpRequestsPerSecond").asDouble()).isEqualTo(10.0);
      assertThat(s.get("httpErrorShare").asDouble()).isEqualTo(0.1);
      assertThat(s.get("httpRoutes").get("/items").get("requestsPerSecond").asDouble())
          .isEqualTo(9.0);
      assertThat(s.get("httpRoutes").get("/boom").get("errorShare").asDouble()).isEqualTo(1.0);
      assertThat(s.get("httpP95Ms").asDouble()).isPositive();
      assertThat(s.get("heapMaxBytes").asDouble()).isPositive();
      assertThat(s.get("threadsLive").asDouble()).isPositive();
      assertThat(s.has("findings")).isTrue();
      assertThat(nova.health().trackedObjects()).containsEntry("history-samples", 2L);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void whileThreadLeakHoldsEachSampleHasItsLiveThreadsByCreationSite() {
    ManualClock clock = new ManualClock();
    HistoryArea history = new HistoryArea();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Evidence> sites = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      sites.add(
          Evidence.builder()
              .put("startedAt", "app.Pool.start" + i + "(Pool.java:" + i + ")")
              .put("liveThreads", 100 - i)
              .list("stack", List.of("app.Pool.start" + i))
              .build());
    }
    Finding leak =
        new Finding(
            "THREAD_LEAK",
            Severity.MEDIUM,
            "live threads rose",
            Evidence.builder().list("byCreationSite", sites).build(),
            List.of("thread-dump"));

    history.heldNow(List.of(leak));
    history.sampleIfDue(registry, clock);
    clock.advance(Duration.ofSeconds(10));
    history.heldNow(List.of()); // the leak no longer held: no sites in the next sample
    history.sampleIfDue(registry, clock);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> samples = (List<Map<String, Object>>) history.view().get("samples");
    assertThat(samples).hasSize(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> bySite = (Map<String, Object>) samples.get(0).get("threadsBySite");
    assertThat(bySite).hasSize(HistoryArea.TOP).containsEntry("app.Pool.start0(Pool.java:0)", 100);
    assertThat(samples.get(1)).doesNotContainKey("threadsBySite");
  }
}

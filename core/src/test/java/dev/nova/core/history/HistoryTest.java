package dev.nova.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.nova.core.Nova;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.core.grpc.GrpcTracker;
import dev.nova.testing.Http;
import dev.nova.testing.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
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
      observeItems(nova, server);
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
      // the server counts a request once its handler returns, which may be after the client has
      // its answer
      dev.nova.testing.Poll.until(
          "the ten requests counted",
          Duration.ofSeconds(10),
          () ->
              nova.report().signals().get("http") instanceof java.util.Map<?, ?> http
                  && http.get("requests") instanceof Number n
                  && n.longValue() == 10);
      clock.advance(Duration.ofSeconds(1));
      nova.scheduler().runOnce();
      clock.advance(Duration.ofMillis(400));
      nova.scheduler().runOnce(); // not due: no third sample

      JsonNode h = admin.get("/debug/nova/history").json();
      assertThat(h.get("intervalSeconds").asDouble()).isEqualTo(1.0);
      assertThat(h.get("capacity").asInt()).isEqualTo(HistoryArea.MAX_CAPACITY);
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
  void gRpcCallsTheirFailingShareP95AndOpenStreamsAreSampled() {
    ManualClock clock = new ManualClock();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HistoryArea history = new HistoryArea();
    history.sampleIfDue(registry, clock);
    assertThat(lastSample(history))
        .as("no gRPC server: no gRPC figures")
        .doesNotContainKey("grpcCallsPerSecond");

    GrpcTracker grpc = new GrpcTracker(clock, registry, Duration.ofMinutes(5));
    for (int i = 0; i < 20; i++) {
      Object call = new Object();
      long start = clock.nanoTime();
      grpc.started(call, "shop.Payments/Pay", "UNARY", start);
      grpc.closed(call, i % 10 == 0 ? "UNAVAILABLE" : "OK", start + 3_000_000L);
    }
    List<Object> open = List.of(new Object(), new Object());
    for (Object call : open) {
      grpc.started(call, "shop.Payments/Watch", "SERVER_STREAMING", clock.nanoTime());
    }
    clock.advance(Duration.ofSeconds(10));
    history.sampleIfDue(registry, clock);

    Map<String, Object> s = lastSample(history);
    assertThat(s.get("grpcCallsPerSecond")).isEqualTo(2.0);
    assertThat(s.get("grpcErrorShare")).isEqualTo(0.1);
    assertThat((Double) s.get("grpcP95Ms")).isBetween(3.0, 10.0);
    assertThat(s.get("grpcStreamsOpen")).isEqualTo(2.0);

    grpc.closed(open.get(0), "CANCELLED", clock.nanoTime());
    clock.advance(Duration.ofSeconds(10));
    history.sampleIfDue(registry, clock);
    s = lastSample(history);
    assertThat(s.get("grpcCallsPerSecond")).isEqualTo(0.1);
    assertThat(s.get("grpcErrorShare"))
        .as("CANCELLED is the client's, not a failure")
        .isEqualTo(0.0);
    assertThat(s.get("grpcStreamsOpen")).isEqualTo(1.0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> lastSample(HistoryArea history) {
    List<Map<String, Object>> samples = (List<Map<String, Object>>) history.view().get("samples");
    return samples.get(samples.size() - 1);
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
    assertThat(bySite).hasSize(HistoryArea.TOP).containsEntry("app.Pool.start0(Pool.java:0)", 100L);
    assertThat(samples.get(1)).doesNotContainKey("threadsBySite");
  }

  @Test
  void aFullRingOfTheLargestSamplesStaysBoundedAndSmall() {
    ManualClock clock = new ManualClock();
    HistoryArea history = new HistoryArea(); // the defaults: every 10 s, an hour
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Timer> timers = new ArrayList<>();
    for (int r = 0; r < 8; r++) {
      for (String status : List.of("200", "500")) {
        timers.add(
            Timer.builder("nova.http.request.duration")
                .tags("route", "/api/v1/route" + r + "/{id}", "status", status)
                .publishPercentileHistogram()
                .register(registry));
      }
    }
    for (int p = 0; p < 6; p++) {
      for (String m : List.of("active", "idle", "waiting", "max")) {
        registry.gauge("nova.pool." + m, io.micrometer.core.instrument.Tags.of("pool", "p" + p), p);
      }
    }
    List<Counter> closes = new ArrayList<>();
    for (int code = 1000; code < 1010; code++) {
      closes.add(registry.counter("websocket.disconnects", "code", "" + code, "side", "client"));
    }
    for (dev.nova.core.finding.FindingCodes.Code c : dev.nova.core.finding.FindingCodes.all()) {
      registry.gauge(
          "nova.finding.severity", io.micrometer.core.instrument.Tags.of("code", c.code()), 3);
    }
    java.util.concurrent.atomic.AtomicInteger live =
        registry.gauge("nova.threads.live", new java.util.concurrent.atomic.AtomicInteger(300));
    List<Evidence> sites = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sites.add(
          Evidence.builder()
              .put("startedAt", "app.S.start" + i + "(S.java:1)")
              .put("liveThreads", 50)
              .build());
    }
    history.heldNow(
        List.of(
            new Finding(
                "THREAD_LEAK",
                Severity.HIGH,
                "rising",
                Evidence.builder().list("byCreationSite", sites).build(),
                List.of())));

    for (int i = 0; i < 400; i++) {
      for (Timer t : timers) {
        t.record(Duration.ofMillis(1 + i % 50));
      }
      for (Counter c : closes) {
        c.increment();
      }
      history.sampleIfDue(registry, clock);
      clock.advance(Duration.ofSeconds(10));
    }

    Map<String, Object> view = history.view();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> samples = (List<Map<String, Object>>) view.get("samples");
    assertThat(samples).hasSize(360); // an hour at 10 s, the oldest dropped
    Map<String, Object> last = samples.get(samples.size() - 1);
    assertThat((Map<?, ?>) last.get("httpRoutes")).hasSize(HistoryArea.TOP);
    assertThat((Map<?, ?>) last.get("pools")).hasSize(HistoryArea.TOP);
    assertThat((Map<?, ?>) last.get("wsDisconnectsPerSecondByCode")).hasSize(8);
    assertThat((Map<?, ?>) last.get("threadsBySite")).hasSize(5);
    assertThat(last.get("threadsLive")).isEqualTo((double) live.get());
    // the largest sample there is (every finding raised, the most routes, pools, close codes and
    // sites kept) under 2 KiB, so the full ring stays within a few hundred KiB
    assertThat((Long) view.get("approxBytes")).isPositive().isLessThan(600L * 1024);
  }

  @Test
  void aPackedSampleComesBackAsItWent() {
    Map<String, Object> sample = new java.util.LinkedHashMap<>();
    sample.put("t", 1_796_152_080_402L);
    sample.put("share", 0.25);
    sample.put("none", null);
    sample.put("routes", Map.of("/a", Map.of("p95Ms", 12.5)));
    sample.put("findings", Map.of("THREAD_LEAK", 2));
    Packed first = Packed.of(sample, null);
    Packed second = Packed.of(sample, first);
    assertThat(second.keys()).isSameAs(first.keys()); // one name array for the same shape
    Map<String, Object> back = second.unpack();
    assertThat(back)
        .containsEntry("t", 1_796_152_080_402L)
        .containsEntry("share", 0.25)
        .containsEntry("none", null)
        .containsEntry("routes", Map.of("/a", Map.of("p95Ms", 12.5)))
        .containsEntry("findings", Map.of("THREAD_LEAK", 2L));
    assertThat(back.keySet()).containsExactly("t", "share", "none", "routes", "findings");
  }

  @Test
  void inLibraryModeTheFiguresAreNovasOwnWhateverTheServicesRegistryKeeps() throws Exception {
    // the service's registry keeps no histograms: a composite timer's snapshot may come from it
    SimpleMeterRegistry service = new SimpleMeterRegistry();
    service
        .config()
        .meterFilter(
            new io.micrometer.core.instrument.config.MeterFilter() {
              @Override
              public io.micrometer.core.instrument.distribution.DistributionStatisticConfig
                  configure(
                      io.micrometer.core.instrument.Meter.Id id,
                      io.micrometer.core.instrument.distribution.DistributionStatisticConfig c) {
                return io.micrometer.core.instrument.distribution.DistributionStatisticConfig
                    .builder()
                    .percentilesHistogram(false)
                    .serviceLevelObjectives()
                    .build()
                    .merge(c);
              }
            });
    ManualClock clock = new ManualClock();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    try (Nova nova =
        Nova.builder()
            .option("port", "0")
            .option("history.interval", "1s")
            .clock(clock)
            .meterRegistry(service)
            .start()) {
      observeItems(nova, server);
      server.start();
      Http http = new Http(server.getAddress().getPort());
      nova.scheduler().runOnce();
      for (int i = 0; i < 5; i++) {
        assertThat(http.get("/items").status()).isEqualTo(200);
      }
      clock.advance(Duration.ofSeconds(1));
      nova.scheduler().runOnce();
      JsonNode samples =
          new Http(nova.address().orElseThrow().getPort())
              .get("/debug/nova/history")
              .json()
              .get("samples");
      JsonNode s = samples.get(samples.size() - 1);
      assertThat(s.get("httpRequestsPerSecond").asDouble()).isEqualTo(5.0);
      assertThat(s.get("httpP95Ms").asDouble()).as("from Nova's histogram").isPositive();
      assertThat(service.find("nova.http.request.duration").timer())
          .as("the service's registry has the meters too")
          .isNotNull();
    } finally {
      server.stop(0);
    }
  }

  /** {@code /items} on the JDK's server, answering 200 "ok", observed by {@code nova}. */
  private static void observeItems(Nova nova, HttpServer server) {
    nova.http()
        .observe(
            server.createContext(
                "/items",
                ex -> {
                  ex.sendResponseHeaders(200, 2);
                  ex.getResponseBody().write("ok".getBytes());
                  ex.close();
                }));
  }
}

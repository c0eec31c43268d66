package dev.nova.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.Nova;
import dev.nova.core.finding.Finding;
import dev.nova.testing.Poll;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingRegistryConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A library-mode service's own push registry (Micrometer's real step-publishing
 * LoggingMeterRegistry, every second) that stops publishing is METRICS_MISSING.
 */
class RegistryPublishingTest {

  @Test
  void aServiceRegistryThatStopsPublishingIsMetricsMissing() {
    AtomicInteger published = new AtomicInteger();
    LoggingRegistryConfig config =
        new LoggingRegistryConfig() {
          @Override
          public String get(String key) {
            return null;
          }

          @Override
          public Duration step() {
            return Duration.ofSeconds(1);
          }
        };
    LoggingMeterRegistry service =
        LoggingMeterRegistry.builder(config)
            .loggingSink(line -> published.incrementAndGet())
            .build();
    try (Nova nova =
        Nova.builder()
            .option("port", "0")
            .option("detect.interval", "100ms")
            .meterRegistry(service)
            .start()) {
      Poll.until(
          "the registry's publishing seen as steady",
          Duration.ofSeconds(30),
          () ->
              String.valueOf(nova.report().signals().get("metrics"))
                  .matches("(?s).*serviceRegistry=\\{scrapesSeen=([5-9]|\\d\\d).*"));
      assertThat(published.get()).isPositive();
      assertThat(finding(nova)).as("publishing: no finding").isNull();

      service.close(); // the service's exporter stops
      Poll.until("METRICS_MISSING", Duration.ofSeconds(30), () -> finding(nova) != null);
      Finding f = finding(nova);
      assertThat(f.title())
          .startsWith("the service's meter registry stopped publishing: last read");
      assertThat(f.evidence().toString()).contains("LoggingMeterRegistry");
    } finally {
      service.close();
    }
  }

  private static Finding finding(Nova nova) {
    return nova.report().findings().stream()
        .filter(x -> x.code().equals("METRICS_MISSING"))
        .findFirst()
        .orElse(null);
  }
}

package dev.nova.core.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.Nova;
import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCodes;
import dev.nova.core.finding.Severity;
import dev.nova.core.util.NovaLog;
import dev.nova.testing.Http;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The findings as series, in the scrape and in the host's registry, and as log lines. */
class FleetSeriesTest {
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  private final PrintStream stderr = System.err;

  @AfterEach
  void stderrAgain() {
    System.setErr(stderr);
    NovaLog.redirect(null);
    NovaLog.json(false);
  }

  /** A detector whose one finding the test sets. */
  private static Detector settable(String code, AtomicReference<Severity> now) {
    return new Detector() {
      @Override
      public String name() {
        return "settable-" + code;
      }

      @Override
      public List<Finding> evaluate(NovaClock clock) {
        Severity s = now.get();
        return s == null
            ? List.of()
            : List.of(
                new Finding(
                        code,
                        s,
                        "a connection held 42 s",
                        Evidence.builder().put("suspects", 1).build(),
                        List.of("connection-close-leaked", "thread-dump"))
                    .at("app.Orders.refund(Orders.java:42)"));
      }
    };
  }

  private static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no series " + series + " in\n" + scrape);
  }

  @Test
  void everyCodeHasASeriesFromTheFirstScrapeAndRaisesAreCounted() {
    // in library mode with SLF4J on the class path (slf4j-simple here, which writes to the
    // System.err of the moment) the lines go through it, logger dev.nova.findings
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    SimpleMeterRegistry mine = new SimpleMeterRegistry();
    AtomicReference<Severity> leak = new AtomicReference<>();
    try (Nova nova =
        Nova.builder().option("port", "0").option("token", "t").meterRegistry(mine).start()) {
      Http http = new Http(nova.address().orElseThrow().getPort());
      String first = http.get("/debug/nova/metrics").body();
      for (FindingCodes.Code c : FindingCodes.all()) {
        assertThat(value(first, "nova_finding_severity{code=\"" + c.code() + "\"}")).isZero();
        assertThat(
                value(
                    first,
                    "nova_findings_raised_total{code=\"" + c.code() + "\",severity=\"HIGH\"}"))
            .isZero();
      }
      assertThat(first)
          .contains("# HELP nova_finding_severity ")
          .containsPattern("nova_info\\{mode=\"library\",nova=\"[^\"]+\",version=\"[^\"]+\"} 1");

      nova.addDetector(settable("DB_CONNECTION_LEAK", leak));
      leak.set(Severity.HIGH);
      nova.scheduler().runOnce();
      nova.scheduler().runOnce(); // held: no second raise
      var report = http.get("/debug/nova").json();
      assertThat(report.get("findings").get(0).get("where").asText())
          .isEqualTo("app.Orders.refund(Orders.java:42)");
      assertThat(http.get("/debug/nova?format=text").body())
          .contains("  where: app.Orders.refund(Orders.java:42)\n");
      String raised = http.get("/debug/nova/metrics").body();
      assertThat(value(raised, "nova_finding_severity{code=\"DB_CONNECTION_LEAK\"}")).isEqualTo(3);
      assertThat(
              value(
                  raised,
                  "nova_findings_raised_total{code=\"DB_CONNECTION_LEAK\",severity=\"HIGH\"}"))
          .isEqualTo(1);
      assertThat(
              mine.get("nova.finding.severity").tag("code", "DB_CONNECTION_LEAK").gauge().value())
          .as("the host's own registry has the series too")
          .isEqualTo(3);

      assertThat(http.post("/debug/nova/actions/thread-dump", "t").status()).isEqualTo(200);
      leak.set(Severity.CRITICAL);
      nova.scheduler().runOnce();
      leak.set(null);
      nova.scheduler().runOnce();
      String cleared = http.get("/debug/nova/metrics").body();
      assertThat(value(cleared, "nova_finding_severity{code=\"DB_CONNECTION_LEAK\"}")).isZero();
      assertThat(
              value(
                  cleared,
                  "nova_findings_raised_total{code=\"DB_CONNECTION_LEAK\",severity=\"CRITICAL\"}"))
          .isEqualTo(1);
    }
    String lines = log.toString(StandardCharsets.UTF_8);
    assertThat(lines)
        .contains(
            "WARN dev.nova.findings - finding raised DB_CONNECTION_LEAK HIGH: a connection held 42"
                + " s at app.Orders.refund(Orders.java:42); remedy: POST /debug/nova/actions/connection-close-leaked or thread-dump")
        .contains(
            "WARN dev.nova.findings - finding changed DB_CONNECTION_LEAK CRITICAL (was HIGH): a"
                + " connection held")
        .contains(
            "INFO dev.nova.findings - finding cleared DB_CONNECTION_LEAK CRITICAL: a connection"
                + " held 42 s");
    assertThat(lines).contains("INFO dev.nova.audit - audit time=").contains("action=thread-dump");
    assertThat(NovaLog.throughSlf4j()).as("back to stderr once Nova closed").isFalse();
    assertThat(lines.split("finding raised DB_CONNECTION_LEAK", -1)).hasSize(2); // once
  }

  @Test
  void jsonLinesWithLogFormatJson() throws Exception {
    NovaLog.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    AtomicReference<Severity> leak = new AtomicReference<>(Severity.MEDIUM);
    try (Nova nova = Nova.builder().option("port", "0").option("log.format", "json").start()) {
      NovaLog.useStderr(); // the agent's path: stderr with the [nova] prefix
      nova.addDetector(settable("DB_CONNECTION_LEAK", leak));
      nova.scheduler().runOnce();
    }
    String line =
        log.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.contains("\"event\":\"raised\""))
            .findFirst()
            .orElseThrow();
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(line.substring(line.indexOf('{')));
    assertThat(json.get("logger").asText()).isEqualTo("dev.nova.findings");
    assertThat(json.get("code").asText()).isEqualTo("DB_CONNECTION_LEAK");
    assertThat(json.get("severity").asText()).isEqualTo("MEDIUM");
    assertThat(json.get("scenario").asText()).isEqualTo("4: database query timeouts");
    assertThat(json.get("actions").get(0).asText()).isEqualTo("connection-close-leaked");
    assertThat(json.get("where").asText()).isEqualTo("app.Orders.refund(Orders.java:42)");
  }

  @Test
  void aBadLogFormatOrAlertmanagerUrlIsAProblemNotAFailedStart() {
    try (Nova nova =
        Nova.builder()
            .option("port", "0")
            .option("log.format", "xml")
            .option("alertmanager", "ftp://am:9093;http://ok:9093")
            .start()) {
      String problems = nova.config().problems().toString();
      assertThat(problems).contains("log.format").contains("'xml' is not one of text, json");
      assertThat(problems)
          .contains("alertmanager")
          .contains("'ftp://am:9093' is not an http(s) base URL");
      assertThat(nova.report().sections().get("agent").toString())
          .contains("off (no alertmanager option)");
    }
  }
}

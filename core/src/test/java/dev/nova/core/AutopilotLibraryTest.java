package dev.nova.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.testing.Databases;
import dev.nova.testing.ManualClock;
import dev.nova.testing.Poll;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The autopilot through the library ({@code Nova.builder()} with the options in code): a wrapped
 * HikariCP pool over a real H2 database, Nova's own clock driven by the test, its detector rounds
 * run by the test, and the remedies run on Nova's own autopilot thread.
 */
class AutopilotLibraryTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  private final ManualClock clock = new ManualClock();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<Connection> kept = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private Nova nova;

  private Nova nova(String... options) {
    Nova.Builder b = Nova.builder().clock(clock).option("port", "0").option("token", "t");
    for (int i = 0; i < options.length; i += 2) {
      b.option(options[i], options[i + 1]);
    }
    nova = b.start();
    toClose.add(nova);
    return nova;
  }

  private HikariDataSource pool(String name, int max) {
    HikariDataSource h = Databases.hikari(name, Databases.h2Url(), max);
    toClose.add(0, h);
    return h;
  }

  @AfterEach
  void close() throws Exception {
    for (Connection c : kept) {
      c.close();
    }
    for (Thread t : threads) {
      t.join(10_000);
    }
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> section() {
    return (Map<String, Object>) nova.report().sections().get("autopilot");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> runs() {
    return (List<Map<String, Object>>) section().get("runs");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> rule() {
    return ((List<Map<String, Object>>) section().get("rules")).get(0);
  }

  /** One detector round, then the autopilot's runs (if one started) to their end. */
  private void round() {
    nova.scheduler().runOnce();
    Poll.until(
        () -> "the autopilot's runs to end: " + runs(),
        WAIT,
        () ->
            runs().stream()
                .allMatch(r -> r.containsKey("status") || !"pending".equals(r.get("outcome"))));
  }

  private Optional<Finding> finding(String code) {
    return nova.report().findings().stream().filter(f -> f.code().equals(code)).findFirst();
  }

  private double runsCounted(String outcome) {
    var c = nova.meterRegistry().find("nova.autopilot.runs").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aLeakIsClosedByTheRuleAndComesBackMarkedRecurringWithItsFrame() throws Exception {
    nova(
        "autopilot", "DB_CONNECTION_LEAK=connection-close-leaked",
        "autopilot.mode", "on",
        "autopilot.every", "5s",
        "jdbc.leakThreshold", "3s");
    DataSource ds = nova.jdbc().wrap(pool("refunds", 4));
    app.Culprits.borrowAndKeep(ds, kept);
    app.Culprits.borrowAndKeep(ds, kept);
    clock.advance(Duration.ofSeconds(4));
    round();

    Map<String, Object> run = runs().get(0);
    assertThat(run).containsEntry("code", "DB_CONNECTION_LEAK");
    assertThat(run).containsEntry("action", "connection-close-leaked");
    assertThat(run).containsEntry("params", Map.of("olderThan", "3000ms"));
    assertThat(run).containsEntry("mode", "on");
    assertThat(run).containsEntry("status", 200);
    for (Connection c : kept) {
      assertThat(c.isClosed()).as("closed by the autopilot").isTrue();
    }
    // the next round: the leak is gone, so the run helped
    round();
    run = runs().get(0);
    assertThat(run).containsEntry("outcome", "helped");
    assertThat(run.get("figures"))
        .isEqualTo(Map.of("figure", "suspects", "before", 2.0, "after", "cleared"));
    assertThat(runsCounted("helped")).isEqualTo(1.0);
    assertThat(finding("DB_CONNECTION_LEAK")).isEmpty();

    // the refund path leaks again: the finding comes back, marked recurring, naming the frame
    app.Culprits.borrowAndKeep(ds, kept);
    clock.advance(Duration.ofSeconds(6));
    round();
    Finding f = finding("DB_CONNECTION_LEAK").orElseThrow();
    assertThat(f.where()).startsWith("app.Culprits.borrowAndKeep(Culprits.java:");
    Evidence note = (Evidence) f.evidence().get("autopilot");
    assertThat(note.get("recurring")).isEqualTo(true);
    assertThat(note.get("rule")).isEqualTo("DB_CONNECTION_LEAK=connection-close-leaked");
    assertThat((String) note.get("note")).contains("app.Culprits.borrowAndKeep(");
    assertThat(rule()).containsEntry("recurring", true).containsEntry("runs", 2);
    assertThat(runs()).hasSize(2); // 6 s after the first run: due again, and it ran
    assertThat(kept.get(2).isClosed()).isTrue();

    // the audit says who ran it
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> audit =
        (List<Map<String, Object>>)
            ((Map<String, Object>) nova.report().sections().get("agent")).get("audit");
    assertThat(audit)
        .filteredOn(a -> "autopilot".equals(a.get("caller")))
        .extracting(a -> a.get("action"))
        .containsOnly("connection-close-leaked")
        .hasSize(2);
  }

  @Test
  void aDryRunChangesNothingAndRecordsWhatItWouldHaveDone() throws Exception {
    nova(
        "autopilot", "DB_CONNECTION_LEAK=connection-close-leaked",
        "autopilot.every", "5s",
        "jdbc.leakThreshold", "3s"); // autopilot.mode: dry-run by default
    HikariDataSource h = pool("refunds", 4);
    DataSource ds = nova.jdbc().wrap(h);
    app.Culprits.borrowAndKeep(ds, kept);
    app.Culprits.borrowAndKeep(ds, kept);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(6));
      round();
    }
    assertThat(runs()).hasSize(3);
    for (Map<String, Object> run : runs()) {
      assertThat(run).containsEntry("mode", "dry-run").containsEntry("outcome", "dry-run");
      assertThat(((Map<?, ?>) run.get("result")).get("wouldClose")).asList().hasSize(2);
    }
    for (Connection c : kept) {
      assertThat(c.isClosed()).as("a dry run closes nothing").isFalse();
    }
    assertThat(h.getHikariPoolMXBean().getActiveConnections()).isEqualTo(2);
    assertThat(finding("DB_CONNECTION_LEAK")).isPresent();
    assertThat(runsCounted("dry-run")).isEqualTo(3.0);
    assertThat(rule()).containsEntry("state", "watching").containsEntry("helped", 0);
  }

  @Test
  void aRuleThatCannotHelpAPoolBusyWithSlowWorkStopsAfterThreeRuns() throws Exception {
    nova(
        "autopilot", "DB_POOL_SATURATED=connection-close-leaked",
        "autopilot.mode", "on",
        "autopilot.every", "5s",
        "jdbc.leakThreshold", "3s");
    HikariDataSource h = pool("reports", 2);
    h.setConnectionTimeout(60_000);
    DataSource ds = nova.jdbc().wrap(h);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "create alias if not exists BLOCK for \"" + app.Culprits.class.getName() + ".slowWork\"");
    }
    for (int i = 0; i < 4; i++) { // two run slow reports, two wait for a connection
      Thread t =
          new Thread(
              () -> {
                try (Connection c = ds.getConnection();
                    Statement s = c.createStatement()) {
                  s.execute("call BLOCK()");
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              },
              "report-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    try {
      Poll.until(
          () ->
              "two reports running and two waiting: "
                  + nova.jdbc().tracker().running().size()
                  + " running, "
                  + h.getHikariPoolMXBean().getThreadsAwaitingConnection()
                  + " waiting, "
                  + h.getHikariPoolMXBean().getActiveConnections()
                  + " active",
          WAIT,
          () ->
              nova.jdbc().tracker().running().size() == 2
                  && h.getHikariPoolMXBean().getThreadsAwaitingConnection() == 2);
      clock.advance(Duration.ofSeconds(4));
      round();
      assertThat(runs()).hasSize(1);
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofSeconds(6));
        round();
      }
      assertThat(runs()).hasSize(3);
      for (Map<String, Object> run : runs()) {
        assertThat(run).containsEntry("outcome", "not-helped");
        assertThat(((Map<?, ?>) run.get("result")).get("skipped")).asList().hasSize(2);
      }
      assertThat(rule()).containsEntry("state", "stopped");
      assertThat((String) rule().get("stopped")).contains("3 runs in a row did not help");
      Evidence note =
          (Evidence) finding("DB_POOL_SATURATED").orElseThrow().evidence().get("autopilot");
      assertThat((String) note.get("stopped")).contains("did not help");
      clock.advance(Duration.ofSeconds(6));
      round();
      assertThat(runs()).as("a stopped rule runs no more").hasSize(3);
      assertThat(runsCounted("not-helped")).isEqualTo(3.0);
      assertThat(nova.jdbc().tracker().running()).hasSize(2); // the slow work was left alone
    } finally {
      app.Culprits.SLOW_WORK_DONE.countDown();
    }
  }

  @Test
  void refusedRulesAreReportedAndNeverRun() {
    nova(
        "autopilot",
        "HEAP_GROWTH=heap-dump; NOT_A_CODE=pool-reset; DB_SLOW_QUERY=pool-reset;"
            + " LOCK_CONTENTION=thread-dump; DB_CONNECTION_LEAK=connection-close-leaked",
        "autopilot.mode",
        "on");
    List<String> problems = nova.config().problems().stream().map(Object::toString).toList();
    assertThat(problems)
        .anyMatch(p -> p.contains("HEAP_GROWTH=heap-dump") && p.contains("a person decides"))
        .anyMatch(p -> p.contains("NOT_A_CODE") && p.contains("not a finding code"))
        .anyMatch(p -> p.contains("DB_SLOW_QUERY=pool-reset") && p.contains("does not list"))
        .anyMatch(p -> p.contains("LOCK_CONTENTION=thread-dump") && p.contains("changes nothing"));
    @SuppressWarnings("unchecked")
    List<String> reported =
        (List<String>)
            ((Map<String, Object>) nova.report().sections().get("config")).get("problems");
    assertThat(reported).hasSize(4);
    assertThat(section().get("refused")).asList().hasSize(4);
    assertThat(section().get("rules")).asList().hasSize(1);

    // a heap finding that lists heap-dump is raised: nothing runs
    nova.addDetector(
        new dev.nova.core.diagnosis.Detector() {
          @Override
          public String name() {
            return "test-heap";
          }

          @Override
          public List<Finding> evaluate(dev.nova.core.diagnosis.NovaClock c) {
            return List.of(
                new Finding(
                    dev.nova.core.finding.FindingCode.HEAP_GROWTH,
                    Severity.HIGH,
                    "live heap rising",
                    Evidence.builder().put("liveAfterGcMb", 300).build(),
                    List.of("heap-dump", "cache-trim")));
          }
        });
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(11));
      nova.scheduler().runOnce();
    }
    assertThat(runs()).isEmpty();
  }

  @Test
  void anActionThatFailsIsRecordedAndCountedAndNeverReachesTheHost() {
    nova(
        "autopilot", "HTTP_ERROR_RATE=pool-reset",
        "autopilot.mode", "on",
        "autopilot.every", "5s");
    // a 5xx burst in a service with no connection pool: pool-reset has nothing to reset
    nova.addDetector(
        new dev.nova.core.diagnosis.Detector() {
          @Override
          public String name() {
            return "test-errors";
          }

          @Override
          public List<Finding> evaluate(dev.nova.core.diagnosis.NovaClock c) {
            return List.of(
                new Finding(
                    dev.nova.core.finding.FindingCode.HTTP_ERROR_RATE,
                    Severity.HIGH,
                    "12% of requests answered 5xx",
                    Evidence.builder().put("errorShare", 0.12).build(),
                    List.of("thread-dump", "pool-reset")));
          }
        });
    round();
    Map<String, Object> run = runs().get(0);
    assertThat(run).containsEntry("outcome", "failed").containsEntry("status", 404);
    assertThat((String) run.get("reason")).contains("no connection pool");
    assertThat(runsCounted("failed")).isEqualTo(1.0);
    assertThat(rule()).containsEntry("state", "watching").containsEntry("notHelpedInARow", 0);
    clock.advance(Duration.ofSeconds(6));
    round();
    assertThat(runs()).hasSize(2); // a failure is not a miss: the rule keeps trying every 5 s
    assertThat(nova.health().errors()).isZero();
  }

  @Test
  void nothingRunsWhileSelfProtectionHasShedWork() throws Exception {
    nova(
        "autopilot", "DB_CONNECTION_LEAK=connection-close-leaked",
        "autopilot.mode", "on",
        "autopilot.every", "5s",
        "jdbc.leakThreshold", "3s");
    DataSource ds = nova.jdbc().wrap(pool("refunds", 4));
    app.Culprits.borrowAndKeep(ds, kept);
    // the host's CPU saturated for longer than self-protection's patience
    nova.selfProtection().update(0.1, 0.99, clock);
    clock.advance(Duration.ofSeconds(31));
    nova.selfProtection().update(0.1, 0.99, clock);
    assertThat(nova.selfProtection().shedding()).isTrue();
    round();
    assertThat(runs()).hasSize(1);
    assertThat(runs().get(0)).containsEntry("outcome", "skipped");
    assertThat((String) runs().get(0).get("reason")).contains("self-protection");
    assertThat(kept.get(0).isClosed()).isFalse();
    assertThat(runsCounted("skipped")).isEqualTo(1.0);
  }
}

package dev.nova.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.Databases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every runbook fault end to end: the service with the Nova agent in a forked JVM, normal load
 * beside it, the fault on; the expected finding with its code, severity and evidence (the fault
 * class's frame where there is a stack) within a minute; the remediation through the action
 * endpoint; the finding cleared once the fault is gone; no unrelated finding on the way. Then a
 * clean run under sustained load with every fault off raises nothing. On H2, and on PostgreSQL.
 */
class EndToEndIT {
  @TempDir Path tmp;

  static Path agent() {
    return Path.of(System.getProperty("nova.agent.jar"));
  }

  @Test
  void everyScenarioOnH2() throws Exception {
    scenarios(Map.of(), Scenarios.ALL);
  }

  @Test
  void theDatabaseScenariosOnPostgres() throws Exception {
    Databases.assumePostgres();
    String db = "streams_e2e";
    try (Connection c = DriverManager.getConnection(Databases.PG_URL, Databases.PG_USER, "");
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + db);
      s.execute("create database " + db);
    }
    // the database scenarios (the others do not touch the database: H2 covers them)
    scenarios(
        Map.of(
            "NOVA_DB_URL",
            Databases.PG_URL.substring(0, Databases.PG_URL.lastIndexOf('/') + 1) + db,
            "NOVA_DB_USER",
            Databases.PG_USER,
            "NOVA_DB_PASSWORD",
            ""),
        Scenarios.ALL.stream().filter(s -> s.runbook().startsWith("4")).toList());
  }

  private void scenarios(Map<String, String> env, List<Scenarios.Scenario> which) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (Tour t = new Tour(out, agent(), tmp, env);
        Load.Background load = new Load.Background(t.base(), 30, 4)) {
      // a clean run first: sustained load, every fault off, nothing raised
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < end) {
        JsonNode r = t.report();
        assertThat(r.get("findings")).as(r.toPrettyString()).isEmpty();
        Thread.sleep(500); // watching over a fixed period of healthy traffic
      }
      JsonNode signals = t.report().get("signals");
      assertThat(signals.get("http").get("requests").asLong()).isGreaterThan(50);
      assertThat(signals.get("websocket").get("connectsLastMinute").asLong()).isPositive();
      assertThat(signals.get("jdbc")).isNotNull();

      for (Scenarios.Scenario s : which) {
        Tour.Outcome o = t.run(s);
        String log = bytes.toString(StandardCharsets.UTF_8) + "\nservice:\n" + t.serviceOutput();
        assertThat(o.finding()).as(s.fault() + " raised " + s.code() + "\n" + log).isNotNull();
        assertThat(severityRank(o.finding().get("severity").asText()))
            .as(s.code() + " severity")
            .isLessThanOrEqualTo(severityRank(s.minSeverity()));
        assertThat(o.finding().get("evidence").toString()).contains(s.evidenceMentions());
        assertThat(o.others()).as(s.fault() + ": no unrelated finding").isEmpty();
        if (s.action() != null) {
          assertThat(o.actionStatus()).as(s.action() + "\n" + log).isEqualTo(200);
        }
        assertThat(o.recovered()).as(s.code() + " cleared after the remedy\n" + log).isTrue();
      }
      Load.Summary summary = load.stop();
      assertThat(summary.requests()).isPositive();
      JsonNode agent = t.report().get("agent");
      assertThat(agent.get("errors").asLong()).as(agent.toPrettyString()).isZero();
    }
  }

  static int severityRank(String s) {
    return List.of("CRITICAL", "HIGH", "MEDIUM", "LOW").indexOf(s);
  }
}

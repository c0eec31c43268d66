package dev.nova.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import app.Culprits;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.nova.core.Nova;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.testing.Databases;
import dev.nova.testing.Http;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runbook step 4.3 against a real PostgreSQL: slow queries seen, and cancelled, from inside. */
class PostgresJdbcTest {
  static final String TOKEN = "pg-token";
  private final String run = Long.toHexString(System.nanoTime());
  private Nova nova;
  private HikariDataSource pool;
  private DataSource ds;

  @BeforeEach
  void start() {
    Databases.assumePostgres();
    nova =
        Nova.builder()
            .option("port", "0")
            .option("token", TOKEN)
            .option("jdbc.slowQuery", "300ms")
            .start();
    pool = Databases.hikari("pg", Databases.PG_URL, 4);
    ds = nova.jdbc().wrap(pool);
  }

  @AfterEach
  void stop() {
    if (nova != null) {
      long errors = nova.health().errors();
      pool.close();
      nova.close();
      assertThat(errors).isZero();
    }
  }

  /** Runs {@code sql} on its own thread; completes with the SQLState it failed with, or "ok". */
  private CompletableFuture<String> runAsync(String sql) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            Culprits.runSlow(ds, sql);
            return "ok";
          } catch (SQLException e) {
            return e.getSQLState();
          }
        });
  }

  private static int backendsRunning(String like) throws SQLException {
    try (Connection c =
            java.sql.DriverManager.getConnection(Databases.PG_URL, Databases.PG_USER, "");
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "select count(*) from pg_stat_activity where state = 'active'"
                    + " and pid <> pg_backend_pid() and query like '"
                    + like
                    + "'")) {
      r.next();
      return r.getInt(1);
    }
  }

  @Test
  void aRunningSlowQueryIsListedAndQueryCancelStopsThatOneOnly() throws Exception {
    CompletableFuture<String> longOne = runAsync("select pg_sleep(30) /* nova-long-" + run + " */");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Finding slow = null;
    while (slow == null && System.nanoTime() < deadline) {
      nova.scheduler().runOnce();
      slow =
          nova.scheduler().findings().stream()
              .filter(f -> f.code().equals("DB_SLOW_QUERY"))
              .findFirst()
              .orElse(null);
      Thread.sleep(20); // polling a real query's progress: the condition is the loop's test
    }
    assertThat(slow).as("DB_SLOW_QUERY while pg_sleep runs").isNotNull();
    Evidence running = (Evidence) ((List<?>) slow.evidence().get("running")).get(0);
    assertThat(running.get("sql")).isEqualTo("select pg_sleep(?)");
    assertThat((String) running.get("callingFrame"))
        .startsWith("app.Culprits.runSlow(Culprits.java:");
    assertThat(slow.actions()).containsExactly("query-cancel");

    JdbcTracker t = nova.jdbc().tracker();
    while (t.running().get(0).elapsedNanos(t.clock().nanoTime()) < 1_200_000_000L) {
      Thread.sleep(20); // polling a real query's progress: the condition is the loop's test
    }
    CompletableFuture<String> shortOne =
        runAsync("select pg_sleep(2) /* nova-short-" + run + " */");
    while (backendsRunning("%nova-short-" + run + "%") == 0) {
      Thread.onSpinWait();
    }
    Http http = new Http(nova.address().orElseThrow().getPort());
    JsonNode view = http.get("/debug/nova/jdbc").json();
    assertThat(view.get("running").size()).isEqualTo(2);
    assertThat(view.get("running").get(0).get("callingFrame").asText())
        .startsWith("app.Culprits.runSlow(Culprits.java:");
    assertThat(view.get("holders").get(0).get("currentSql").asText())
        .isEqualTo("select pg_sleep(?)");
    Http.Answer cancel = http.post("/debug/nova/actions/query-cancel?olderThan=1s", TOKEN);
    assertThat(cancel.status()).isEqualTo(200);
    JsonNode cancelled = cancel.json().get("cancelled");
    assertThat(cancelled.size()).isEqualTo(1);
    assertThat(cancelled.get(0).get("sql").asText()).isEqualTo("select pg_sleep(?)");
    assertThat(cancel.json().get("runningBefore").asInt()).isEqualTo(2);

    assertThat(longOne.get(10, TimeUnit.SECONDS)).isEqualTo("57014"); // query_canceled
    assertThat(backendsRunning("%nova-long-" + run + "%")).isZero();
    assertThat(shortOne.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
  }

  @Test
  void aDryRunCancelsNothing() throws Exception {
    CompletableFuture<String> q = runAsync("select pg_sleep(1.5) /* nova-dry */");
    while (nova.jdbc().tracker().running().isEmpty()) {
      Thread.onSpinWait();
    }
    Http http = new Http(nova.address().orElseThrow().getPort());
    Http.Answer dry =
        http.post("/debug/nova/actions/query-cancel?olderThan=1ms&dryRun=true", TOKEN);
    assertThat(dry.json().get("wouldCancel").size()).isEqualTo(1);
    assertThat(q.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
  }
}

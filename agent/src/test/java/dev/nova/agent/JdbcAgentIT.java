package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.Databases;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runbook scenario 4 through the agent: an unmodified HikariCP application ({@code app.JdbcHost})
 * in a forked JVM with {@code -javaagent}, driven by commands on its stdin.
 */
class JdbcAgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "jdbc-agent-token";

  @TempDir Path tmp;

  static List<Jdks.Jdk> jdks() {
    return Jdks.all();
  }

  /** A running host and its admin listener. */
  final class Host implements AutoCloseable {
    final ForkedJvm jvm;
    final Http http;
    private final OutputStream stdin;

    Host(Jdks.Jdk jdk, String url, String extraOptions) throws IOException {
      this(jdk, url, extraOptions, 2);
    }

    Host(Jdks.Jdk jdk, String url, String extraOptions, int poolMax) throws IOException {
      Path portFile = tmp.resolve("port-" + System.nanoTime());
      List<String> args = new ArrayList<>();
      args.add("-Dpool.max=" + poolMax);
      args.add(
          "-javaagent:"
              + Jdks.agentJar()
              + "=token="
              + TOKEN
              + ",port=0,detect.interval=100ms,portFile="
              + portFile
              + (extraOptions.isEmpty() ? "" : "," + extraOptions));
      args.add("-cp");
      args.add(
          Jdks.hostClassPath() + java.io.File.pathSeparator + System.getProperty("nova.host.libs"));
      args.add("app.JdbcHost");
      args.add("orders");
      args.add(url);
      jvm = ForkedJvm.start(jdk.home(), args);
      stdin = jvm.process().getOutputStream();
      http = new Http(Integer.parseInt(jvm.awaitFile(portFile, WAIT)));
      jvm.awaitStdout("host-ready", WAIT);
    }

    void send(String command) throws IOException {
      write(command);
      jvm.await(
          "'" + command + "' to be done",
          WAIT,
          () ->
              jvm.stdout().contains("done " + command)
                  || jvm.stdout().contains("failed " + command));
    }

    void write(String command) throws IOException {
      stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    /** Waits for a finding with this code (and this severity, unless null). */
    JsonNode awaitFinding(String code, String severity) {
      JsonNode[] found = new JsonNode[1];
      jvm.await(
          code + (severity == null ? "" : " at " + severity),
          WAIT,
          () -> {
            for (JsonNode f : http.get("/debug/nova").json().get("findings")) {
              if (f.get("code").asText().equals(code)
                  && (severity == null || f.get("severity").asText().equals(severity))) {
                found[0] = f;
                return true;
              }
            }
            return false;
          });
      return found[0];
    }

    JsonNode awaitFinding(String code) {
      return awaitFinding(code, null);
    }

    boolean hasFinding(String code) {
      for (JsonNode f : http.get("/debug/nova").json().get("findings")) {
        if (f.get("code").asText().equals(code)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void close() throws java.io.IOException {
      long errors = http.get("/debug/nova").json().get("agent").get("errors").asLong();
      stdin.close();
      int exit;
      try {
        exit = jvm.awaitExit(WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for the host to exit", e);
      }
      jvm.close();
      assertThat(errors).as("errors Nova swallowed\n" + jvm.describe()).isZero();
      assertThat(exit).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void leaksShowTheBorrowingFrameAndAreClosedOnRequest(Jdks.Jdk jdk) throws Exception {
    try (Host h =
        new Host(jdk, "jdbc:h2:mem:leaks;DB_CLOSE_DELAY=-1", "jdbc.leakThreshold=300ms")) {
      h.send("keep");
      JsonNode leak = h.awaitFinding("DB_CONNECTION_LEAK");
      JsonNode held = leak.get("evidence").get("held").get(0);
      assertThat(held.get("pool").asText()).isEqualTo("orders");
      assertThat(held.get("borrowedAt").asText()).startsWith("app.JdbcHost.keepOne(JdbcHost.java:");
      assertThat(leak.get("where").asText()).startsWith("app.JdbcHost.keepOne(JdbcHost.java:");
      assertThat(h.http.get("/debug/nova/metrics").body())
          .contains("nova_jdbc_connection_leaks_total 1.0")
          .contains("nova_pool_active{pool=\"orders\"} 1.0");

      Http.Answer closed =
          h.http.post("/debug/nova/actions/connection-close-leaked?olderThan=300ms", TOKEN);
      assertThat(closed.status()).isEqualTo(200);
      assertThat(closed.json().get("closed").get(0).get("borrowedAt").asText())
          .contains("app.JdbcHost.keepOne(");
      h.jvm.await("the leak to clear", WAIT, () -> !h.hasFinding("DB_CONNECTION_LEAK"));
      assertThat(
              h.http
                  .get("/debug/nova")
                  .json()
                  .get("signals")
                  .get("pools")
                  .get("orders")
                  .get("active")
                  .asInt())
          .isZero();

      h.send("drop");
      h.jvm.await(
          "GC to prove the dropped connection leaked",
          WAIT,
          () -> {
            try {
              h.send("gc");
            } catch (IOException e) {
              throw new AssertionError(e);
            }
            JsonNode f = null;
            for (JsonNode x : h.http.get("/debug/nova").json().get("findings")) {
              if (x.get("code").asText().equals("DB_CONNECTION_LEAK")) {
                f = x;
              }
            }
            return f != null && f.get("evidence").get("collectedWithoutClose").asInt() == 1;
          });
      JsonNode proof = h.awaitFinding("DB_CONNECTION_LEAK").get("evidence").get("collected").get(0);
      assertThat(proof.get("stack").get(0).asText())
          .startsWith("app.JdbcHost.dropOne(JdbcHost.java:");
    }
  }

  @Test
  void aBusyHealthyPoolRaisesNothingThroughTheAgent() throws Exception {
    try (Host h =
        new Host(
            Jdks.all().get(0), "jdbc:h2:mem:busy;DB_CLOSE_DELAY=-1", "jdbc.leakThreshold=2s")) {
      for (int i = 0; i < 200; i++) {
        h.send("query select " + i);
      }
      JsonNode r = h.http.get("/debug/nova").json();
      assertThat(r.get("findings")).isEmpty();
      JsonNode jdbc = r.get("signals").get("jdbc");
      assertThat(jdbc.get("borrowsTotal").asLong()).isGreaterThanOrEqualTo(200);
      assertThat(jdbc.get("executionsTotal").asLong()).isEqualTo(200);
      assertThat(jdbc.get("borrowed").asInt()).isZero();
      assertThat(jdbc.get("statements").get(0).get("sql").asText()).isEqualTo("select ?");
      assertThat(jdbc.get("statements").get(0).get("calls").asLong()).isEqualTo(200);
    }
  }

  @Test
  void aSaturatedPoolAndAnUnreachableDatabaseAreReported() throws Exception {
    try (Host h =
        new Host(Jdks.all().get(0), "jdbc:h2:mem:sat;DB_CLOSE_DELAY=-1", "jdbc.leakThreshold=1h")) {
      h.send("keep");
      h.send("keep");
      h.write("borrow"); // waits, then times out after the host's 5 s connection timeout
      JsonNode waiting = h.awaitFinding("DB_POOL_SATURATED", "MEDIUM");
      assertThat(waiting.get("evidence").get("waiting").asInt()).isEqualTo(1);
      h.jvm.awaitStdout("failed borrow", WAIT);
      JsonNode sat = h.awaitFinding("DB_POOL_SATURATED", "HIGH");
      assertThat(sat.get("evidence").get("acquireTimeouts").asInt()).isEqualTo(1);
      assertThat(sat.get("evidence").get("topHolders").size()).isEqualTo(2);
      assertThat(sat.get("evidence").get("topHolders").get(0).get("borrowedAt").asText())
          .startsWith("app.JdbcHost.keepOne(");
      h.send("release");
    }
    try (Host h =
        new Host(Jdks.all().get(0), "jdbc:postgresql://127.0.0.1:1/app?password=hunter2", "")) {
      h.send("borrow");
      JsonNode down = h.awaitFinding("DB_UNREACHABLE");
      assertThat(down.get("severity").asText()).isEqualTo("CRITICAL");
      assertThat(down.get("evidence").get("target").asText()).isEqualTo("127.0.0.1:1");
      assertThat(h.http.get("/debug/nova").body()).doesNotContain("hunter2");
    }
  }

  @Test
  void aSlowPostgresQueryIsSeenAndCancelledThroughTheAgent() throws Exception {
    Databases.assumePostgres();
    String marker = "nova_agent_" + Long.toHexString(System.nanoTime());
    try (Host h = new Host(Jdks.all().get(0), Databases.PG_URL, "jdbc.slowQuery=300ms")) {
      h.send("background select pg_sleep(30), '" + marker + "'");
      JsonNode slow = h.awaitFinding("DB_SLOW_QUERY");
      JsonNode running = slow.get("evidence").get("running").get(0);
      assertThat(running.get("sql").asText()).isEqualTo("select pg_sleep(?), ?");
      assertThat(running.get("callingFrame").asText())
          .startsWith("app.JdbcHost.query(JdbcHost.java:");
      assertThat(slow.get("where").asText()).startsWith("app.JdbcHost.query(JdbcHost.java:");
      assertThat(h.http.get("/debug/nova").body()).doesNotContain(marker);

      Http.Answer cancel = h.http.post("/debug/nova/actions/query-cancel?olderThan=300ms", TOKEN);
      assertThat(cancel.status()).isEqualTo(200);
      assertThat(cancel.json().get("cancelled").size()).isEqualTo(1);
      h.jvm.awaitStdout("background-failed 57014", WAIT);
    }
  }

  @Test
  void aRowLockHeldIdleInTransactionIsDbLockWaitWithBothSidesAndAbortingTheBlockerFreesIt()
      throws Exception {
    Databases.assumePostgres();
    String table = "nova_lock_" + Long.toHexString(System.nanoTime());
    try (Host h = new Host(Jdks.all().get(0), Databases.PG_URL, "jdbc.lockWait=500ms", 3)) {
      h.send("query create table " + table + " (id int primary key, v int)");
      try {
        h.send("query insert into " + table + " values (1, 0)");
        h.send("lock update " + table + " set v = 1 where id = 1");
        h.send("background update " + table + " set v = 2 where id = 1");
        JsonNode f = h.awaitFinding("DB_LOCK_WAIT");
        assertThat(f.get("severity").asText()).isEqualTo("HIGH");
        JsonNode wait = f.get("evidence").get("waits").get(0);
        assertThat(wait.get("sql").asText())
            .isEqualTo("update " + table + " set v = ? where id = ?");
        assertThat(wait.get("stack").get(0).asText())
            .startsWith("app.JdbcHost.query(JdbcHost.java:");
        assertThat(wait.get("lockType").asText()).isIn("transactionid", "tuple");
        assertThat(wait.get("mode").asText()).endsWith("Lock");
        JsonNode blocker = wait.get("blockedBy").get(0);
        assertThat(blocker.get("state").asText()).isEqualTo("idle in transaction");
        // PostgreSQL knows the session's last statement, a read; Nova knows the write before it
        assertThat(blocker.get("query").asText()).isEqualTo("select ?");
        assertThat(blocker.get("thisJvm").asBoolean()).isTrue();
        assertThat(blocker.get("holderThread").asText()).isEqualTo("main");
        assertThat(blocker.get("borrowedAt").get(0).asText())
            .startsWith("app.JdbcHost.lock(JdbcHost.java:");
        JsonNode wrote = blocker.get("lastWrite");
        assertThat(wrote.get("sql").asText())
            .isEqualTo("update " + table + " set v = ? where id = ?");
        assertThat(wrote.get("stack").get(0).asText())
            .startsWith("app.JdbcHost.write(JdbcHost.java:");
        assertThat(wrote.get("stack").get(1).asText())
            .startsWith("app.JdbcHost.lock(JdbcHost.java:");
        assertThat(f.get("where").asText()).startsWith("app.JdbcHost.write(JdbcHost.java:");
        assertThat(f.get("actions").toString()).contains("db-abort-blocker");
        int pid = blocker.get("pid").asInt();
        // a second statement waiting on the same blocker: CRITICAL
        h.send("background update " + table + " set v = 3 where id = 1");
        JsonNode both = h.awaitFinding("DB_LOCK_WAIT", "CRITICAL");
        assertThat(both.get("evidence").get("waiting").asInt()).isEqualTo(2);
        assertThat(both.get("title").asText()).contains("2 wait on one blocker");
        // Nova's probe is not the host's: no statement of its own in the statistics
        assertThat(h.http.get("/debug/nova/jdbc").body()).doesNotContain("pg_blocking_pids");

        JsonNode dry =
            h.http
                .post("/debug/nova/actions/db-abort-blocker?pid=" + pid + "&dryRun=true", TOKEN)
                .json();
        assertThat(dry.get("wouldAbort").asBoolean()).isTrue();
        assertThat(dry.get("borrowedAt").asText()).startsWith("app.JdbcHost.lock(");
        assertThat(h.jvm.stdout()).doesNotContain("background-done");
        assertThat(
                h.http
                    .post("/debug/nova/actions/db-abort-blocker?pid=" + (pid + 100_000), TOKEN)
                    .status())
            .isEqualTo(409);

        JsonNode aborted =
            h.http.post("/debug/nova/actions/db-abort-blocker?pid=" + pid, TOKEN).json();
        assertThat(aborted.get("aborted").asBoolean()).isTrue();
        h.jvm.await(
            "both waiters to finish",
            WAIT,
            () -> h.jvm.stdout().split("background-done", -1).length == 3);
        assertThat(h.http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
      } finally {
        h.send("release");
        h.send("query drop table " + table);
      }
    }
  }
}

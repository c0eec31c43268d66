package dev.nova.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.Culprits;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.nova.core.Nova;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.testing.Databases;
import dev.nova.testing.Http;
import dev.nova.testing.ManualClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runbook scenario 4 through the library: a wrapped HikariCP pool over a real H2 database. */
class JdbcLibraryTest {
  static final String TOKEN = "db-token";

  private final ManualClock clock = new ManualClock();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<Connection> kept = new ArrayList<>();
  private Nova nova;

  private Nova nova(Nova.Builder b) {
    nova = b.option("port", "0").option("token", TOKEN).start();
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
    long errors = nova == null ? 0 : nova.health().errors();
    for (AutoCloseable c : toClose) {
      c.close();
    }
    assertThat(errors).as("errors Nova swallowed").isZero();
  }

  private Optional<Finding> finding(String code) {
    nova.scheduler().runOnce();
    return nova.scheduler().findings().stream().filter(f -> f.code().equals(code)).findFirst();
  }

  private Http http() {
    return new Http(nova.address().orElseThrow().getPort());
  }

  @Test
  void aWriteRepeatedKeepsItsFirstStackAndADifferentWriteReplacesIt() throws Exception {
    nova(Nova.builder());
    DataSource ds = nova.jdbc().wrap(pool("writes", 2));
    try (Connection setup = ds.getConnection();
        Statement s = setup.createStatement()) {
      s.execute("create table if not exists seats (id int primary key, taken int)");
      s.execute("merge into seats key (id) values (1, 0)");
    }
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      Lease lease = nova.jdbc().tracker().leases().get(0);

      Culprits.firstWriter(c, "update seats set taken = 1 where id = 1");
      assertThat(writer(lease)).isEqualTo("firstWriter");
      // the same statement (literals aside) again, from elsewhere: the first run's stack stays
      Culprits.secondWriter(c, "update seats set taken = 2 where id = 1");
      assertThat(writer(lease)).isEqualTo("firstWriter");
      assertThat(lease.lastWrite.sql).isEqualTo("update seats set taken = ? where id = ?");
      // a read changes nothing; a different write is the new last write, with its own stack
      Culprits.secondWriter(c, "select taken from seats where id = 1");
      assertThat(writer(lease)).isEqualTo("firstWriter");
      Culprits.secondWriter(c, "delete from seats where id = 1");
      assertThat(writer(lease)).isEqualTo("secondWriter");
      assertThat(lease.lastWrite.sql).isEqualTo("delete from seats where id = ?");
      c.rollback();
    }
  }

  /** The method of {@code Culprits} in the lease's last write stack. */
  private static String writer(Lease lease) {
    for (StackTraceElement e : lease.lastWriteFrames()) {
      if (e.getClassName().equals(Culprits.class.getName())) {
        return e.getMethodName();
      }
    }
    return "none";
  }

  @Test
  void aConnectionHeldPastTheThresholdIsALeakWithTheBorrowingFrame() throws Exception {
    nova(Nova.builder().clock(clock));
    DataSource ds = nova.jdbc().wrap(pool("orders", 4));
    Culprits.borrowAndKeep(ds, kept);
    assertThat(finding("DB_CONNECTION_LEAK")).isEmpty();

    clock.advance(Duration.ofSeconds(31));
    Finding f = finding("DB_CONNECTION_LEAK").orElseThrow();
    Evidence held = (Evidence) ((List<?>) f.evidence().get("held")).get(0);
    assertThat(held.get("pool")).isEqualTo("orders");
    assertThat(held.get("thread")).isEqualTo(Thread.currentThread().getName());
    assertThat((String) held.get("borrowedAt"))
        .startsWith("app.Culprits.borrowAndKeep(Culprits.java:");
    assertThat(held.number("heldMs").longValue()).isGreaterThanOrEqualTo(31_000);
    assertThat(f.actions()).contains("connection-close-leaked");
    assertThat(http().get("/debug/nova/metrics").body())
        .contains("nova_jdbc_connection_leaks_total 1.0");

    Http.Answer closed =
        http().post("/debug/nova/actions/connection-close-leaked?olderThan=30s", TOKEN);
    assertThat(closed.status()).isEqualTo(200);
    JsonNode c = closed.json().get("closed").get(0);
    assertThat(c.get("pool").asText()).isEqualTo("orders");
    assertThat(c.get("borrowedAt").asText()).contains("Culprits.borrowAndKeep(");
    assertThat(kept.get(0).isClosed()).isTrue();
    assertThat(finding("DB_CONNECTION_LEAK")).isEmpty();
    assertThat(ds.unwrap(HikariDataSource.class).getHikariPoolMXBean().getActiveConnections())
        .isZero();
  }

  @Test
  void aConnectionReturnedLateIsReportedAsReturnedNotKeptAsALeak() throws Exception {
    nova(Nova.builder().clock(clock));
    DataSource ds = nova.jdbc().wrap(pool("late", 2));
    Connection c = Culprits.borrowAndKeep(ds, new ArrayList<>());
    clock.advance(Duration.ofSeconds(40));
    assertThat(finding("DB_CONNECTION_LEAK")).isPresent();
    c.close();
    assertThat(finding("DB_CONNECTION_LEAK")).isEmpty();
    Http.Answer view = http().get("/debug/nova/jdbc");
    assertThat(view.status()).as(view.body()).isEqualTo(200);
    JsonNode late = view.json().get("returnedLate");
    assertThat(late.size()).isEqualTo(1);
    assertThat(late.get(0).get("heldMs").asLong()).isGreaterThanOrEqualTo(40_000);
    assertThat(late.get(0).get("borrowedAt").asText()).contains("Culprits.borrowAndKeep(");
  }

  @Test
  void aConnectionCollectedWithoutCloseIsACertainLeak() throws Exception {
    nova(Nova.builder());
    DataSource ds = nova.jdbc().wrap(pool("dropped", 4));
    Culprits.borrowAndDrop(ds);
    Finding f = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (f == null && System.nanoTime() < deadline) {
      System.gc();
      f = finding("DB_CONNECTION_LEAK").orElse(null);
    }
    assertThat(f).as("a leak proven by GC").isNotNull();
    assertThat(f.evidence().number("collectedWithoutClose").intValue()).isEqualTo(1);
    Evidence proof = (Evidence) ((List<?>) f.evidence().get("collected")).get(0);
    assertThat((List<?>) proof.get("stack"))
        .first()
        .asString()
        .startsWith("app.Culprits.borrowAndDrop(Culprits.java:");
    assertThat(nova.jdbc().tracker().leaksTotal()).isEqualTo(1);
  }

  @Test
  void slowStatementsAreListedRedactedWithTheirCallingFrame() throws Exception {
    nova(Nova.builder().option("jdbc.slowQuery", "100ms"));
    HikariDataSource h = pool("slow", 2);
    try (Connection c = h.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ALIAS IF NOT EXISTS SLEEP FOR 'java.lang.Thread.sleep'");
    }
    DataSource ds = nova.jdbc().wrap(h);
    Culprits.runSlow(ds, "SELECT 'hunter2' AS secret, SLEEP(300)");
    Finding f = finding("DB_SLOW_QUERY").orElseThrow();
    Evidence done = (Evidence) ((List<?>) f.evidence().get("finished")).get(0);
    assertThat(done.get("sql")).isEqualTo("SELECT ? AS secret, SLEEP(?)");
    assertThat(done.number("elapsedMs").longValue()).isGreaterThanOrEqualTo(300);
    assertThat((String) done.get("callingFrame")).startsWith("app.Culprits.runSlow(Culprits.java:");
    String report = http().get("/debug/nova").body();
    assertThat(report).contains("DB_SLOW_QUERY").doesNotContain("hunter2");
    JsonNode stats = http().get("/debug/nova/jdbc").json().get("statements");
    assertThat(stats.toString()).contains("SELECT ? AS secret, SLEEP(?)").doesNotContain("hunter2");
  }

  @Test
  void aSaturatedPoolIsReportedWithItsHolders() throws Exception {
    nova(Nova.builder());
    HikariDataSource tiny = pool("tiny", 2);
    DataSource ds = nova.jdbc().wrap(tiny);
    Culprits.borrowAndKeep(ds, kept);
    Culprits.borrowAndKeep(ds, kept);
    tiny.setConnectionTimeout(250); // HikariCP takes this on a running pool
    assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);
    Finding f = finding("DB_POOL_SATURATED").orElseThrow();
    assertThat(f.severity().name()).isEqualTo("HIGH");
    assertThat(f.evidence().get("pool")).isEqualTo("tiny");
    assertThat(f.evidence().number("active").intValue()).isEqualTo(2);
    assertThat(f.evidence().number("max").intValue()).isEqualTo(2);
    assertThat(f.evidence().number("acquireTimeouts").intValue()).isEqualTo(1);
    List<?> holders = (List<?>) f.evidence().get("topHolders");
    assertThat(holders).hasSize(2);
    assertThat((String) ((Evidence) holders.get(0)).get("borrowedAt"))
        .contains("Culprits.borrowAndKeep(");
    JsonNode pools = http().get("/debug/nova").json().get("signals").get("pools").get("tiny");
    assertThat(pools.get("active").asInt()).isEqualTo(2);
    assertThat(pools.get("acquireTimeouts").asInt()).isEqualTo(1);
  }

  @Test
  void anUnreachableDatabaseIsCriticalWithItsHostAndPortAndNoCredentials() throws Exception {
    nova(Nova.builder());
    HikariDataSource down =
        Databases.hikari("down", "jdbc:postgresql://127.0.0.1:1/app?password=hunter2", 2);
    toClose.add(0, down);
    DataSource ds = nova.jdbc().wrap(down);
    assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
    Finding f = finding("DB_UNREACHABLE").orElseThrow();
    assertThat(f.severity().name()).isEqualTo("CRITICAL");
    assertThat(f.evidence().get("target")).isEqualTo("127.0.0.1:1");
    assertThat((String) f.evidence().get("lastError")).containsIgnoringCase("refused");
    assertThat(f.evidence().get("sqlState")).isEqualTo("08001");
    assertThat(http().get("/debug/nova").body()).doesNotContain("hunter2");
  }

  @Test
  void poolsCanBeResetAndResizedAndNonsenseIsRefused() throws Exception {
    nova(Nova.builder());
    DataSource ds = nova.jdbc().wrap(pool("resizable", 3));
    try (Connection c = ds.getConnection()) {
      c.isValid(1);
    }
    Http.Answer resized =
        http().post("/debug/nova/actions/pool-resize?pool=resizable&size=7", TOKEN);
    assertThat(resized.status()).isEqualTo(200);
    assertThat(resized.json().get("before").get("max").asInt()).isEqualTo(3);
    assertThat(resized.json().get("after").get("max").asInt()).isEqualTo(7);
    assertThat(http().post("/debug/nova/actions/pool-resize?pool=resizable&size=0", TOKEN).status())
        .isEqualTo(400);
    assertThat(http().post("/debug/nova/actions/pool-resize?pool=resizable&size=x", TOKEN).status())
        .isEqualTo(400);
    assertThat(http().post("/debug/nova/actions/pool-resize?size=4", TOKEN).status())
        .isEqualTo(400);
    assertThat(http().post("/debug/nova/actions/pool-resize?pool=nope&size=4", TOKEN).status())
        .isEqualTo(404);

    Http.Answer reset = http().post("/debug/nova/actions/pool-reset?pool=resizable", TOKEN);
    assertThat(reset.status()).isEqualTo(200);
    JsonNode r = reset.json().get("pools").get(0);
    assertThat(r.get("evicted").asBoolean()).isTrue();
    assertThat(r.get("before").get("idle").asInt()).isGreaterThanOrEqualTo(1);
    Http.Answer dry = http().post("/debug/nova/actions/pool-reset?dryRun=true", TOKEN);
    assertThat(dry.json().get("pools").get(0).has("after")).isFalse();
  }

  @Test
  void aDbcp2PoolIsCountedSaturatedResizedAndReset() throws Exception {
    nova(Nova.builder());
    org.apache.commons.dbcp2.BasicDataSource dbcp = new org.apache.commons.dbcp2.BasicDataSource();
    dbcp.setUrl(Databases.h2Url());
    dbcp.setMaxTotal(2);
    dbcp.setMaxWait(Duration.ofMillis(250));
    toClose.add(0, dbcp::close);
    DataSource ds = nova.jdbc().wrap(dbcp);
    String name = "BasicDataSource@" + Integer.toHexString(System.identityHashCode(dbcp));
    Culprits.borrowAndKeep(ds, kept);
    Culprits.borrowAndKeep(ds, kept);
    assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
    Finding f = finding("DB_POOL_SATURATED").orElseThrow();
    assertThat(f.evidence().get("pool")).isEqualTo(name);
    assertThat(f.evidence().number("acquireTimeouts").intValue()).isEqualTo(1);
    assertThat((List<?>) f.evidence().get("topHolders")).hasSize(2);
    JsonNode pool = http().get("/debug/nova").json().get("signals").get("pools").get(name);
    assertThat(pool.get("active").asInt()).isEqualTo(2);
    assertThat(pool.get("max").asInt()).isEqualTo(2);
    assertThat(pool.get("waiting").asInt()).isZero();

    Http.Answer resized =
        http().post("/debug/nova/actions/pool-resize?pool=" + name + "&size=4", TOKEN);
    assertThat(resized.status()).isEqualTo(200);
    assertThat(dbcp.getMaxTotal()).isEqualTo(4);
    for (Connection c : kept) {
      c.close();
    }
    kept.clear();
    assertThat(dbcp.getNumIdle()).isEqualTo(2);
    Http.Answer reset = http().post("/debug/nova/actions/pool-reset?pool=" + name, TOKEN);
    assertThat(reset.json().get("pools").get(0).get("evicted").asBoolean()).isTrue();
    assertThat(dbcp.getNumIdle()).isZero();
  }

  @Test
  void aBusyHealthyPoolRaisesNothing() throws Exception {
    nova(Nova.builder().option("jdbc.slowQuery", "2s"));
    DataSource ds = nova.jdbc().wrap(pool("busy", 4));
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table t(id int primary key, v varchar(20))");
    }
    List<Thread> workers = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int id = w;
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 1500; i++) {
                    try (Connection c = ds.getConnection();
                        Statement s = c.createStatement()) {
                      s.executeUpdate(
                          "merge into t key(id) values (" + (id * 10_000 + i) + ", 'x')");
                      s.executeQuery("select count(*) from t").close();
                    }
                  }
                } catch (Throwable e) {
                  synchronized (errors) {
                    errors.add(e);
                  }
                }
              });
      t.start();
      workers.add(t);
    }
    while (workers.stream().anyMatch(Thread::isAlive)) {
      nova.scheduler().runOnce();
      assertThat(nova.scheduler().findings()).isEmpty();
      workers.get(0).join(50);
    }
    for (Thread t : workers) {
      t.join();
    }
    assertThat(errors).isEmpty();
    nova.scheduler().runOnce();
    assertThat(nova.scheduler().findings()).isEmpty();
    assertThat(nova.jdbc().tracker().borrows()).isGreaterThanOrEqualTo(6000);
    assertThat(nova.jdbc().tracker().leases()).isEmpty();
    JsonNode stats = http().get("/debug/nova/jdbc").json().get("statements");
    assertThat(stats.toString()).contains("merge into t key(id) values (?)");
  }
}

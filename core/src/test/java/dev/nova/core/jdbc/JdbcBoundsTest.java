package dev.nova.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.nova.core.Nova;
import dev.nova.testing.Databases;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Nova's JDBC state stays bounded and never keeps the host's connections alive. */
class JdbcBoundsTest {

  @Test
  void aHundredThousandBorrowsLeaveNothingBehind() throws Exception {
    try (Nova nova = Nova.builder().option("port", "0").start();
        HikariDataSource pool = Databases.hikari("many", Databases.h2Url(), 4)) {
      DataSource ds = nova.jdbc().wrap(pool);
      for (int i = 0; i < 100_000; i++) {
        try (Connection c = ds.getConnection()) {
          if (i % 10 == 0) {
            try (PreparedStatement p = c.prepareStatement("select " + (i % 1000))) {
              p.execute();
            }
          }
        }
      }
      JdbcTracker t = nova.jdbc().tracker();
      assertThat(t.borrows()).isEqualTo(100_000);
      assertThat(t.leases()).isEmpty();
      assertThat(t.trackedStatements()).isLessThanOrEqualTo(JdbcTracker.MAX_STATEMENTS);
      assertThat(t.statistics()).hasSize(1); // "select ?" whatever the literal
      assertThat(nova.health().errors()).isZero();
    }
  }

  @Test
  void aThousandSimultaneousLeaksAreProvenByGcAndNothingIsKeptAlive() throws Exception {
    try (Nova nova = Nova.builder().option("port", "0").start()) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(Databases.h2Url());
      DataSource ds = nova.jdbc().wrap(h2);
      List<Connection> leaked = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        leaked.add(ds.getConnection());
      }
      JdbcTracker t = nova.jdbc().tracker();
      assertThat(t.leases()).hasSize(1_000);
      List<WeakReference<Connection>> probes = new ArrayList<>();
      for (Connection c : leaked) {
        probes.add(new WeakReference<>(c));
      }
      leaked.clear();

      long deadline = System.nanoTime() + 30_000_000_000L;
      while (t.leaksTotal() < 1_000 && System.nanoTime() < deadline) {
        System.gc();
        nova.scheduler().runOnce();
      }
      assertThat(t.leaksTotal()).isEqualTo(1_000);
      assertThat(probes).allMatch(p -> p.get() == null);
      assertThat(t.leases()).isEmpty();
      assertThat(t.collectedLeaks()).hasSizeLessThanOrEqualTo(JdbcTracker.RECENT);
      assertThat(nova.health().trackedObjects().get("jdbc-leases")).isZero();
      assertThat(nova.health().errors()).isZero();
    }
  }
}

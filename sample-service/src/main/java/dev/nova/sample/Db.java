package dev.nova.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The service's database: an embedded H2 by default (no set-up at all), PostgreSQL when {@code
 * NOVA_DB_URL} (with {@code NOVA_DB_USER} and {@code NOVA_DB_PASSWORD}) is given; behind HikariCP,
 * schema created at start.
 */
public final class Db implements AutoCloseable {
  /** One stream as the API shows it. */
  public record Stream(
      long id, String title, String description, String status, Instant createdAt) {}

  private final HikariDataSource pool;
  private volatile DataSource ds;
  private final boolean postgres;

  public Db(String url, String user, String password, int maxPool) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    if (user != null) {
      c.setUsername(user);
    }
    if (password != null) {
      c.setPassword(password);
    }
    c.setPoolName("streams");
    c.setMaximumPoolSize(maxPool);
    c.setConnectionTimeout(2_000);
    this.pool = new HikariDataSource(c);
    this.ds = pool;
    this.postgres = url.startsWith("jdbc:postgresql:");
  }

  /** From the environment: NOVA_DB_URL and friends, or an in-memory H2 database. */
  public static Db fromEnvironment() {
    String url = System.getenv("NOVA_DB_URL");
    if (url == null || url.isBlank()) {
      return new Db("jdbc:h2:mem:streams;DB_CLOSE_DELAY=-1", "sa", "", 10);
    }
    return new Db(url, System.getenv("NOVA_DB_USER"), System.getenv("NOVA_DB_PASSWORD"), 10);
  }

  /** Library mode: every borrow goes through Nova's wrapper. */
  public void wrap(java.util.function.UnaryOperator<DataSource> wrapper) {
    ds = wrapper.apply(pool);
  }

  public DataSource dataSource() {
    return ds;
  }

  public HikariDataSource pool() {
    return pool;
  }

  public String kind() {
    return postgres ? "postgresql" : "h2";
  }

  public void createSchema() throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "create table if not exists streams ("
              + (postgres ? "id bigserial primary key" : "id bigint auto_increment primary key")
              + ", title varchar(200) not null, description varchar(2000),"
              + " status varchar(16) not null, stream_key varchar(200) unique,"
              + " created_at timestamp not null, ended_at timestamp)");
    }
  }

  public Stream create(String title, String description, String streamKey) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "insert into streams (title, description, status, stream_key, created_at)"
                    + " values (?, ?, 'live', ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
      Instant now = Instant.now();
      p.setString(1, title);
      p.setString(2, description);
      p.setString(3, streamKey);
      p.setTimestamp(4, java.sql.Timestamp.from(now));
      p.executeUpdate();
      try (ResultSet k = p.getGeneratedKeys()) {
        k.next();
        return new Stream(k.getLong(1), title, description, "live", now);
      }
    }
  }

  public List<Stream> live() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "select id, title, description, status, created_at from streams"
                    + " where status = 'live' order by id limit 100");
        ResultSet r = p.executeQuery()) {
      List<Stream> out = new ArrayList<>();
      while (r.next()) {
        out.add(row(r));
      }
      return out;
    }
  }

  public Optional<Stream> get(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "select id, title, description, status, created_at from streams where id = ?")) {
      p.setLong(1, id);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(row(r)) : Optional.empty();
      }
    }
  }

  /** Ends a live stream; true when it was live. */
  public boolean end(long id) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "update streams set status = 'ended', ended_at = ? where status = 'live' and id = ?")) {
      p.setTimestamp(1, java.sql.Timestamp.from(Instant.now()));
      p.setLong(2, id);
      return p.executeUpdate() > 0;
    }
  }

  /** Ends the live streams published with this stream key; answers their ids. */
  public List<Long> endByKey(String streamKey) throws SQLException {
    List<Long> live = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "select id from streams where status = 'live' and stream_key = ? order by id")) {
      q.setString(1, streamKey);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          live.add(r.getLong(1));
        }
      }
    }
    List<Long> ended = new ArrayList<>();
    for (long id : live) {
      if (end(id)) {
        ended.add(id);
      }
    }
    return ended;
  }

  /** Whether the database answers (for /health). */
  public boolean ping() {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("select 1");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static Stream row(ResultSet r) throws SQLException {
    return new Stream(
        r.getLong(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getTimestamp(5).toInstant());
  }

  @Override
  public void close() {
    pool.close();
  }
}

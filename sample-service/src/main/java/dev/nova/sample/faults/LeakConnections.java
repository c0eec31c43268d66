package dev.nova.sample.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runbook 4 "connection leak": while on, every stream request borrows a connection in {@link
 * #onRequest} and never closes it (at most {@link #MAX}). Stopping closes what is still held.
 */
public final class LeakConnections implements Fault {
  static final int MAX = 4;
  private final DataSource ds;
  private final List<Connection> leaked = new ArrayList<>();
  private volatile boolean on;

  public LeakConnections(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public String name() {
    return "leak-connections";
  }

  @Override
  public String description() {
    return "each stream request borrows a JDBC connection and never closes it (runbook 4)";
  }

  @Override
  public void start() {
    on = true;
  }

  /** Called from the request path: the leak the runbook's step 4.2 looks for. */
  public void onRequest() throws SQLException {
    if (!on) {
      return;
    }
    synchronized (leaked) {
      if (leaked.size() < MAX) {
        leaked.add(ds.getConnection()); // borrowed here, closed nowhere
      }
    }
  }

  @Override
  public void stop() {
    on = false;
    synchronized (leaked) {
      for (Connection c : leaked) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // closed already (Nova's connection-close-leaked, say)
        }
      }
      leaked.clear();
    }
  }

  @Override
  public boolean active() {
    return on;
  }
}

package dev.nova.sample.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runbook 4 "pool exhaustion": borrows every connection of the pool and holds them, each from a
 * thread of its own parked in a "batch job", so requests wait and time out.
 */
public final class ExhaustPool implements Fault {
  private final DataSource ds;
  private final int size;
  private final List<Thread> holders = new ArrayList<>();
  private volatile boolean on;

  public ExhaustPool(DataSource ds, int size) {
    this.ds = ds;
    this.size = size;
  }

  @Override
  public String name() {
    return "exhaust-pool";
  }

  @Override
  public String description() {
    return "batch jobs hold every pooled connection, so requests wait (runbook 4)";
  }

  @Override
  public synchronized void start() {
    if (on) {
      return;
    }
    on = true;
    for (int i = 0; i < size; i++) {
      Thread t = new Thread(this::batchJob, "batch-job-" + i);
      t.setDaemon(true);
      holders.add(t);
      t.start();
    }
  }

  private void batchJob() {
    try (Connection c = ds.getConnection()) {
      while (on && !Thread.currentThread().isInterrupted() && !c.isClosed()) {
        Thread.sleep(200); // "processing", connection held all along
      }
    } catch (SQLException | InterruptedException e) {
      // released by stop(), or the connection was closed under us
    }
  }

  @Override
  public synchronized void stop() {
    on = false;
    for (Thread t : holders) {
      t.interrupt();
    }
    holders.clear();
  }

  @Override
  public boolean active() {
    return on;
  }
}

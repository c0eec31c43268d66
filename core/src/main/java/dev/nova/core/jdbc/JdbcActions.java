package dev.nova.core.jdbc;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.pool.PoolRegistry;
import dev.nova.core.pool.PoolView;
import dev.nova.core.remediation.Action;
import dev.nova.core.remediation.ActionException;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.remediation.Param;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runbook's database remediations, done in-process on what Nova tracks. */
public final class JdbcActions {
  private JdbcActions() {}

  private static Map<String, Object> counts(PoolView p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("active", p.active());
    m.put("idle", p.idle());
    m.put("total", p.total());
    m.put("max", p.max());
    m.put("waiting", p.waiting());
    return m;
  }

  private static List<PoolView> select(PoolRegistry pools, String name) throws ActionException {
    if (name == null) {
      List<PoolView> all = pools.pools();
      if (all.isEmpty()) {
        throw new ActionException(404, "Nova has found no connection pool in this JVM");
      }
      return all;
    }
    PoolView p = pools.find(name);
    if (p == null) {
      List<String> names = new ArrayList<>();
      for (PoolView v : pools.pools()) {
        names.add(v.name());
      }
      throw new ActionException(404, "no pool named '" + name + "'; pools: " + names);
    }
    return List.of(p);
  }

  /** {@code pool-reset}: soft-evicts idle connections (in-use ones as they come back). */
  public static Action poolReset(PoolRegistry pools) {
    Param<String> pool =
        Param.name("pool", null, "the pool to reset; default all pools").optional();
    return new Action() {
      @Override
      public String name() {
        return ActionNames.POOL_RESET;
      }

      @Override
      public String description() {
        return "soft-evicts the idle connections of a pool (HikariCP softEvictConnections)";
      }

      @Override
      public List<Param<?>> params() {
        return List.of(pool);
      }

      @Override
      public Map<String, Object> run(ActionRequest r) throws ActionException {
        List<Object> results = new ArrayList<>();
        for (PoolView p : select(pools, r.get(pool))) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("pool", p.name());
          m.put("before", counts(p));
          if (!r.dryRun()) {
            m.put("evicted", p.softEvict());
            m.put("after", counts(p));
          }
          results.add(m);
        }
        return Map.of("pools", results);
      }
    };
  }

  /** {@code pool-resize}: sets a pool's maximum size within bounds. */
  public static Action poolResize(PoolRegistry pools) {
    Param<String> pool = Param.name("pool", null, "the pool to resize");
    Param<Integer> size = Param.integer("size", null, 1, 1000, "the new maximum pool size");
    return new Action() {
      @Override
      public String name() {
        return ActionNames.POOL_RESIZE;
      }

      @Override
      public String description() {
        return "sets a pool's maximum size (HikariCP allows this on a running pool)";
      }

      @Override
      public List<Param<?>> params() {
        return List.of(pool, size);
      }

      @Override
      public Map<String, Object> run(ActionRequest r) throws ActionException {
        if (r.get(pool) == null) {
          throw new ActionException(400, "parameter pool is required (name)");
        }
        PoolView p = select(pools, r.get(pool)).get(0);
        int want = r.get(size);
        if (want < p.minimum()) {
          throw new ActionException(
              400,
              "size " + want + " is below pool " + p.name() + "'s minimum idle " + p.minimum());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool", p.name());
        m.put("before", counts(p));
        if (!r.dryRun()) {
          if (!p.resize(want)) {
            throw new ActionException(409, "pool " + p.name() + " refused the new size");
          }
          m.put("after", counts(p));
        } else {
          m.put("wouldSetMax", want);
        }
        return m;
      }
    };
  }

  /** {@code query-cancel}: {@code Statement.cancel()} on statements running past olderThan. */
  /**
   * {@code db-abort-blocker}: {@code Connection.abort} on this JVM's connection whose PostgreSQL
   * backend has pid {@code pid} (the blocker a {@code DB_LOCK_WAIT} names); its transaction rolls
   * back and its pool discards it. 409 when no connection of this JVM has that pid: Nova never ends
   * another service's session.
   */
  static Action abortBlocker(JdbcTracker tracker, PgLocks locks, LockWaitDetector waits) {
    Param<Integer> pid =
        Param.integer("pid", null, 1, Integer.MAX_VALUE, "the blocking backend's pid");
    return new Action() {
      @Override
      public String name() {
        return ActionNames.DB_ABORT_BLOCKER;
      }

      @Override
      public String description() {
        return "aborts this JVM's database connection with backend pid, the blocker of a lock wait";
      }

      @Override
      public List<Param<?>> params() {
        return List.of(pid);
      }

      @Override
      public Map<String, Object> run(ActionRequest r) throws ActionException {
        int wanted = r.get(pid);
        long now = tracker.clock().nanoTime();
        // a pooled connection keeps its pid across borrows: by the time someone asks, the
        // blocking transaction may be over and another request hold that connection
        if (!waits.blocking(wanted, Duration.ofSeconds(15), now)) {
          throw new ActionException(
              409,
              "pid "
                  + wanted
                  + " has not blocked any statement in Nova's probes of the last 15 s; not"
                  + " aborted (see DB_LOCK_WAIT)");
        }
        for (Lease l : tracker.leases()) {
          Object c = l.get();
          Integer p = c == null ? null : locks.pid(c);
          if (p == null || p != wanted) {
            continue;
          }
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("pid", wanted);
          m.put("pool", l.pool());
          m.put("holder", l.threadName());
          m.put("heldMs", l.heldNanos(now) / 1_000_000);
          List<String> frames = tracker.frames(l);
          m.put("borrowedAt", frames.isEmpty() ? "(not captured)" : frames.get(0));
          if (r.dryRun()) {
            m.put("wouldAbort", true);
            return m;
          }
          try {
            PgLocks.abort(c);
          } catch (SQLException | RuntimeException e) {
            throw new ActionException(409, "abort failed: " + JdbcTracker.safeMessage(e));
          }
          m.put("aborted", true);
          return m;
        }
        throw new ActionException(
            409,
            "no connection of this JVM has backend pid "
                + wanted
                + "; Nova never ends another service's session");
      }
    };
  }

  public static Action queryCancel(JdbcTracker tracker) {
    Param<Duration> olderThan =
        Param.duration(
            "olderThan",
            Duration.ofNanos(tracker.slowNanos()),
            Duration.ofMillis(1),
            "cancel statements running longer than this (default: jdbc.slowQuery)");
    return new Action() {
      @Override
      public String name() {
        return ActionNames.QUERY_CANCEL;
      }

      @Override
      public String description() {
        return "cancels statements running longer than olderThan";
      }

      @Override
      public List<Param<?>> params() {
        return List.of(olderThan);
      }

      @Override
      public Map<String, Object> run(ActionRequest r) {
        long now = tracker.clock().nanoTime();
        long limit = r.get(olderThan).toNanos();
        List<Object> cancelled = new ArrayList<>();
        List<Object> failed = new ArrayList<>();
        int running = 0;
        for (Execution e : tracker.running()) {
          running++;
          if (e.elapsedNanos(now) < limit) {
            continue;
          }
          Map<String, Object> m =
              new LinkedHashMap<>(JdbcSignals.execution(tracker, e, now, false).values());
          if (r.dryRun()) {
            cancelled.add(m);
            continue;
          }
          // Only a statement still RUNNING is cancelled; its end waits while we are here, so the
          // connection cannot have moved on to another statement.
          if (!e.state.compareAndSet(Execution.RUNNING, Execution.CANCELLING)) {
            continue;
          }
          try {
            Object s = e.statement.get();
            if (s instanceof Statement st) {
              st.cancel();
              cancelled.add(m);
            } else {
              m.put("error", "the statement is gone");
              failed.add(m);
            }
          } catch (SQLException | RuntimeException ex) {
            m.put("error", JdbcTracker.safeMessage(ex));
            failed.add(m);
          } finally {
            e.state.set(Execution.CANCELLED);
          }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runningBefore", running);
        out.put(r.dryRun() ? "wouldCancel" : "cancelled", cancelled);
        out.put("failed", failed);
        return out;
      }
    };
  }

  /** {@code connection-close-leaked}: closes connections held past olderThan. */
  public static Action closeLeaked(JdbcTracker tracker, Duration defaultThreshold) {
    Param<Duration> olderThan =
        Param.duration(
            "olderThan",
            defaultThreshold,
            Duration.ofMillis(1),
            "close connections held longer than this (default: jdbc.leakThreshold)");
    Param<Boolean> includeBusy =
        Param.bool(
            "includeBusy", false, "also close connections that are running a statement right now");
    Param<String> pool =
        Param.name("pool", null, "only connections of this pool; default every pool").optional();
    return new Action() {
      @Override
      public String name() {
        return ActionNames.CONNECTION_CLOSE_LEAKED;
      }

      @Override
      public String description() {
        return "closes connections held longer than olderThan, returning them to their pool";
      }

      @Override
      public List<Param<?>> params() {
        return List.of(olderThan, includeBusy, pool);
      }

      @Override
      public Map<String, Object> run(ActionRequest r) {
        long now = tracker.clock().nanoTime();
        long limit = r.get(olderThan).toNanos();
        String only = r.get(pool);
        List<Object> closed = new ArrayList<>();
        List<Object> skipped = new ArrayList<>();
        for (Lease l : tracker.leases()) {
          if (l.heldNanos(now) < limit || (only != null && !only.equals(l.pool()))) {
            continue;
          }
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("pool", l.pool());
          m.put("holder", l.threadName);
          m.put("heldMs", l.heldNanos(now) / 1_000_000);
          List<String> frames = tracker.frames(l);
          m.put("borrowedAt", frames.isEmpty() ? "(not captured)" : frames.get(0));
          Execution e = l.current;
          if (e != null && e.running() && !r.get(includeBusy)) {
            m.put("reason", "running a statement; includeBusy=true closes it anyway");
            skipped.add(m);
            continue;
          }
          if (r.dryRun()) {
            closed.add(m);
            continue;
          }
          Object c = l.get();
          try {
            if (c instanceof Connection conn) {
              conn.close();
              closed.add(m);
            } else {
              m.put("reason", "the connection is gone");
              skipped.add(m);
            }
          } catch (SQLException | RuntimeException ex) {
            m.put("reason", JdbcTracker.safeMessage(ex));
            skipped.add(m);
          }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(r.dryRun() ? "wouldClose" : "closed", closed);
        out.put("skipped", skipped);
        return out;
      }
    };
  }
}

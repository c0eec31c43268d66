package dev.nova.core.jdbc;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.health.NovaHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code DB_LOCK_WAIT} (runbook step 4.4): a statement running past {@code jdbc.lockWait} on
 * PostgreSQL is asked about ({@link PgLocks}, at most {@link #PROBES} a round, each statement at
 * most every {@link #REPROBE}, on a thread of its own, {@code nova-db-probe}, one batch at a time,
 * so that a slow database never holds up the other detectors; a round uses the latest answers);
 * when it waits for a lock, the evidence has the statement (redacted) with its Java stack, the
 * lock, and each blocking session: pid, state ({@code idle in transaction} and for how long), its
 * last statement redacted, and, when the session is one of this JVM's connections, its holder
 * thread, how long it has been held, the stack that borrowed it and its last writing statement with
 * the stack that ran it (most likely the one that took the lock: {@code jdbc.writeStack}); the
 * finding points at that statement's code. HIGH; CRITICAL when several statements wait on one
 * blocker. Long statements on other databases are counted in {@code signals.dbLocks} as not
 * examined, never an error.
 */
final class LockWaitDetector implements Detector, AutoCloseable {
  static final int PROBES = 3;
  static final Duration REPROBE = Duration.ofSeconds(5);
  static final int STACK = 16;

  private final JdbcTracker tracker;
  private final PgLocks locks;
  private final long waitNanos;
  private final NovaHealth health;
  private final Map<Execution, Object[]> seen = new WeakHashMap<>(); // {probedAt, Wait or null}
  private volatile String status = "no statement has run past jdbc.lockWait";
  private volatile int notExamined;
  private volatile Map<Integer, Long> blockers = Map.of(); // pid -> when last seen blocking
  private final java.util.concurrent.atomic.AtomicBoolean probing =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile java.util.concurrent.ExecutorService prober;

  /** The probes run here, one batch at a time: the database may be slow, the detectors must not. */
  private java.util.concurrent.ExecutorService prober() {
    java.util.concurrent.ExecutorService p = prober;
    if (p == null) {
      synchronized (this) {
        p = prober;
        if (p == null) {
          p =
              java.util.concurrent.Executors.newSingleThreadExecutor(
                  r -> {
                    Thread t = new Thread(r, "nova-db-probe");
                    t.setDaemon(true);
                    return t;
                  });
          prober = p;
        }
      }
    }
    return p;
  }

  /** Whether {@code pid} blocked a statement in a probe of the last {@code within}. */
  boolean blocking(int pid, Duration within, long now) {
    Long at = blockers.get(pid);
    return at != null && now - at <= within.toNanos();
  }

  @Override
  public void close() {
    java.util.concurrent.ExecutorService p = prober;
    if (p != null) {
      p.shutdownNow();
    }
  }

  LockWaitDetector(JdbcTracker tracker, PgLocks locks, Duration wait, NovaHealth health) {
    this.tracker = tracker;
    this.locks = locks;
    this.waitNanos = wait.toNanos();
    this.health = health;
  }

  @Override
  public String name() {
    return "db-lock-wait";
  }

  @Override
  public List<Finding> evaluate(NovaClock clock) {
    long now = clock.nanoTime();
    int probes = 0;
    int other = 0;
    List<Object[]> waits = new ArrayList<>(); // {execution, wait}
    List<Object[]> due = new ArrayList<>(); // {execution, pid, connection}
    for (Execution e : tracker.running()) {
      if (e.elapsedNanos(now) < waitNanos || e.lease == null) {
        continue;
      }
      Object connection = e.lease.get();
      Integer pid = connection == null ? null : locks.pid(connection);
      if (pid == null) {
        other++;
        continue;
      }
      Object[] last;
      synchronized (seen) {
        last = seen.get(e);
      }
      if ((last == null || now - (long) last[0] >= REPROBE.toNanos()) && due.size() < PROBES) {
        due.add(new Object[] {e, pid, connection});
      }
      if (last != null && last[1] != null) {
        waits.add(new Object[] {e, last[1]});
      }
    }
    if (!due.isEmpty() && probing.compareAndSet(false, true)) {
      try {
        prober()
            .execute(
                () -> {
                  try {
                    for (Object[] d : due) {
                      probe((Execution) d[0], (Integer) d[1], d[2], clock);
                    }
                  } finally {
                    probing.set(false);
                  }
                });
      } catch (RuntimeException rejected) {
        probing.set(false); // closing
      }
    }
    notExamined = other;
    if (waits.isEmpty()) {
      blockers = Map.of();
      return List.of();
    }
    Map<Integer, Lease> ours = new HashMap<>();
    for (Lease l : tracker.leases()) {
      Object c = l.get();
      Integer pid = c == null ? null : locks.pid(c);
      if (pid != null) {
        ours.put(pid, l);
      }
    }
    // a waiter may itself block the next one (PostgreSQL queues them): count each wait at the
    // session at the root of its chain, the one that holds everything up
    Map<Integer, List<Integer>> blockersOf = new HashMap<>();
    for (Object[] x : waits) {
      PgLocks.Wait w = (PgLocks.Wait) x[1];
      List<Integer> b = new ArrayList<>();
      for (PgLocks.Blocker bl : w.blockers()) {
        b.add(bl.pid());
      }
      blockersOf.put(w.pid(), b);
    }
    Map<Integer, Integer> waitersOf = new HashMap<>();
    List<Evidence> rows = new ArrayList<>();
    String wroteAt = null; // the code that most likely took the lock (a blocker's last write)
    String borrowedAtFrame = null; // else the code that borrowed the blocker's connection
    for (Object[] x : waits) {
      Execution e = (Execution) x[0];
      PgLocks.Wait w = (PgLocks.Wait) x[1];
      List<Evidence> blockers = new ArrayList<>();
      java.util.Set<Integer> roots = roots(w.pid(), blockersOf);
      for (int r : roots) {
        waitersOf.merge(r, 1, Integer::sum);
      }
      for (PgLocks.Blocker b : w.blockers()) {
        Evidence.Builder eb =
            Evidence.builder()
                .put("pid", b.pid())
                .put("state", String.valueOf(b.state()))
                .put("query", b.query() == null ? "" : b.query());
        if (b.stateSeconds() != null) {
          eb.put("stateSeconds", b.stateSeconds());
        }
        if (b.transactionSeconds() != null) {
          eb.put("transactionSeconds", b.transactionSeconds());
        }
        Lease l = ours.get(b.pid());
        eb.put("thisJvm", l != null);
        if (l != null) {
          List<String> borrowedAt = tracker.frames(l);
          eb.put("holderThread", l.threadName())
              .put("pool", l.pool())
              .put("heldMs", l.heldNanos(now) / 1_000_000)
              .list("borrowedAt", borrowedAt);
          SqlStats wrote = l.lastWrite;
          List<String> writeStack = tracker.lastWriteFrames(l);
          if (wrote != null) {
            Evidence.Builder lw = Evidence.builder().put("sql", wrote.sql);
            if (!writeStack.isEmpty()) {
              lw.list("stack", writeStack);
            } else {
              lw.put("stack", "not kept (jdbc.writeStack=false or jdbc.stackDepth=0)");
            }
            eb.put("lastWrite", lw.build());
          }
          if (wroteAt == null) {
            wroteAt = AppFrames.firstApplication(writeStack);
          }
          if (borrowedAtFrame == null) {
            borrowedAtFrame = AppFrames.firstApplication(borrowedAt);
          }
        }
        blockers.add(eb.build());
      }
      rows.add(
          Evidence.builder()
              .put("sql", e.sql())
              .put("waitingMs", e.elapsedNanos(now) / 1_000_000)
              .put("thread", e.threadName())
              .put("pid", w.pid())
              .put("lockType", String.valueOf(w.lockType()))
              .put("relation", String.valueOf(w.relation()))
              .put("mode", String.valueOf(w.mode()))
              .list("stack", AppFrames.of(e.stackNow(), STACK))
              .list("blockedBy", blockers)
              .list("rootBlockers", new ArrayList<>(roots))
              .build());
    }
    Map<Integer, Long> seenBlocking = new HashMap<>();
    for (Object[] x : waits) {
      for (PgLocks.Blocker b : ((PgLocks.Wait) x[1]).blockers()) {
        seenBlocking.put(b.pid(), now);
      }
    }
    blockers = Map.copyOf(seenBlocking);
    int most = 0;
    for (int n : waitersOf.values()) {
      most = Math.max(most, n);
    }
    List<String> actions = new ArrayList<>();
    for (Integer pid : waitersOf.keySet()) {
      if (ours.containsKey(pid)) {
        actions.add(ActionNames.DB_ABORT_BLOCKER);
        break;
      }
    }
    actions.add(ActionNames.THREAD_DUMP);
    PgLocks.Wait first = (PgLocks.Wait) waits.get(0)[1];
    return List.of(
        new Finding(
                FindingCode.DB_LOCK_WAIT,
                most >= 2 ? Severity.CRITICAL : Severity.HIGH,
                waits.size()
                    + " statement(s) waiting on a database lock"
                    + (first.relation() == null ? "" : " on " + first.relation())
                    + (most >= 2 ? "; " + most + " wait on one blocker" : ""),
                Evidence.builder()
                    .put("waiting", waits.size())
                    .put("thresholdMs", waitNanos / 1_000_000)
                    .list("waits", rows)
                    .build(),
                actions)
            .at(wroteAt != null ? wroteAt : borrowedAtFrame));
  }

  private void probe(Execution e, int pid, Object connection, NovaClock clock) {
    PgLocks.Wait w = null;
    try {
      w = locks.probe(pid, connection, e.lease.source);
      status = "examined on PostgreSQL over Nova's own connection";
    } catch (Exception | LinkageError ex) {
      String safe = JdbcTracker.safeMessage(ex); // redacted: no URL, user-info or password
      status = "could not ask PostgreSQL: " + safe;
      health.recordSuppressed("db lock probe", new IllegalStateException(safe));
    }
    synchronized (seen) {
      seen.put(e, new Object[] {clock.nanoTime(), w});
    }
  }

  /** The sessions at the roots of {@code pid}'s chain of waits (itself not included). */
  static java.util.Set<Integer> roots(int pid, Map<Integer, List<Integer>> blockersOf) {
    java.util.Set<Integer> out = new java.util.TreeSet<>();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    java.util.Deque<Integer> todo =
        new java.util.ArrayDeque<>(blockersOf.getOrDefault(pid, List.of()));
    seen.add(pid);
    while (!todo.isEmpty()) {
      int p = todo.pop();
      if (!seen.add(p)) {
        continue;
      }
      List<Integer> up = blockersOf.get(p);
      if (up == null || up.isEmpty()) {
        out.add(p);
      } else {
        todo.addAll(up);
      }
    }
    return out;
  }

  /** {@code signals.dbLocks}. */
  Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lockWaitMs", waitNanos / 1_000_000);
    m.put("status", status);
    m.put("supported", "PostgreSQL (pg_blocking_pids); other databases not yet");
    m.put("longStatementsNotExamined", notExamined);
    return m;
  }
}

package dev.nova.core.jdbc;

import dev.nova.core.bridge.JdbcSink;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.pool.PoolRegistry;
import dev.nova.core.util.NovaLog;
import dev.nova.core.util.WeakIdentityMap;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Who holds the pool, at any moment: every borrowed connection (a {@link Lease}), the statement
 * each runs, statement statistics by normalized SQL, connection failures, and the leaks that
 * garbage collection proves. Fed by the agent's JDBC advice through the bridge, or by the library's
 * wrapping data source; both call the same methods.
 *
 * <p>Nothing here keeps the host's objects alive: connections, statements and sources are held
 * weakly. Everything is bounded: past its capacity a structure stops tracking and counts what it
 * missed.
 */
public final class JdbcTracker implements JdbcSink {
  static final int MAX_LEASES = 10_000;
  static final int MAX_STATEMENTS = 100_000;
  static final int MAX_SQL = 500;
  static final int MAX_RAW_SQL = 4_096;
  static final int MAX_ORPHANS = 1_024;
  static final int RECENT = 32;
  static final String OTHER_SQL = "(other statements)";

  /** A connection failure as the report shows it. */
  public record Failure(long at, String target, String message, String sqlState) {}

  /** A statement that finished past the slow threshold. */
  public record SlowSample(
      long endedAt, String sql, long elapsedNanos, String thread, List<String> stack) {}

  /** A leak proven by GC, or a suspect returned late. */
  public record LeakRecord(
      long at, String pool, String thread, long heldNanos, List<String> stack) {}

  private final NovaClock clock;
  private final NovaHealth health;
  private final PoolRegistry pools;
  private final long slowNanos;
  private final int stackDepth;
  private final boolean writeStacks;
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final ConcurrentHashMap<Object, Lease> leases = new ConcurrentHashMap<>();
  private final WeakIdentityMap<Object, StatementInfo> statements =
      new WeakIdentityMap<>(MAX_STATEMENTS);
  private final WeakIdentityMap<Object, SourceInfo> sources = new WeakIdentityMap<>(1_024);
  private final ConcurrentHashMap<String, SqlStats> byNormalized = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SqlStats> byRaw = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Execution, Boolean> orphans = new ConcurrentHashMap<>();
  private final SqlStats other = new SqlStats(OTHER_SQL);
  private final LongAdder untrackedLeases = new LongAdder();
  private final LongAdder borrows = new LongAdder();
  private final LongAdder executions = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private final LongAdder leaksTotal = new LongAdder();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final Deque<SlowSample> slow = new ArrayDeque<>();
  private final Deque<LeakRecord> collectedLeaks = new ArrayDeque<>();
  private final Deque<LeakRecord> returnedLate = new ArrayDeque<>();
  private final Map<String, LongAdder> acquireTimeouts = new ConcurrentHashMap<>();
  private volatile long lastSuccessAt = Long.MIN_VALUE;
  private volatile Consumer<Lease> onLeak = l -> {};

  private static final class StatementInfo {
    final Lease lease;
    final SqlStats prepared;

    StatementInfo(Lease lease, SqlStats prepared) {
      this.lease = lease;
      this.prepared = prepared;
    }
  }

  private static final class Probe {
    final Object referent;

    Probe(Object referent) {
      this.referent = referent;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(referent);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Lease l && l.get() == referent;
    }
  }

  public JdbcTracker(
      NovaClock clock, NovaHealth health, PoolRegistry pools, long slowNanos, int stackDepth) {
    this(clock, health, pools, slowNanos, stackDepth, stackDepth > 0);
  }

  /** {@code writeStacks}: keep each lease's last writing statement's stack (jdbc.writeStack). */
  public JdbcTracker(
      NovaClock clock,
      NovaHealth health,
      PoolRegistry pools,
      long slowNanos,
      int stackDepth,
      boolean writeStacks) {
    this.writeStacks = writeStacks && stackDepth > 0;
    this.clock = clock;
    this.health = health;
    this.pools = pools;
    this.slowNanos = slowNanos;
    this.stackDepth = stackDepth;
    health.track("jdbc-leases", leases::size, 160);
    health.track("jdbc-statements", statements::size, 96);
    health.track("jdbc-sql", byNormalized::size, 256);
  }

  /** Called once per newly suspected or proven leak, for the leak counter. */
  public void onLeak(Consumer<Lease> listener) {
    this.onLeak = listener;
  }

  // ---------------------------------------------------------------- JdbcSink

  @Override
  public void acquired(Object source, Object connection, long startNanos, long endNanos) {
    borrows.increment();
    long now = clock.nanoTime();
    lastSuccessAt = now;
    if (leases.size() >= MAX_LEASES) {
      untrackedLeases.increment();
      return;
    }
    SourceInfo info = source == null ? SourceInfo.DRIVER_MANAGER : sourceInfo(source);
    // The borrowing stack: captured now, frames materialised only when a report needs them.
    Throwable stack = stackDepth > 0 ? new Throwable("borrowed here") : null;
    Lease lease =
        new Lease(
            connection, collected, info, Thread.currentThread(), now, endNanos - startNanos, stack);
    leases.put(lease, lease);
    if (!info.poolOffered && source != null) {
      // a pool started before Nova was listening is found through its first borrow
      // (a HikariCP data source whose pool has not started yet is offered again next time)
      info.poolOffered =
          pools.register(source) || !source.getClass().getName().startsWith("com.zaxxer.hikari.");
      // (a DBCP2 pool registers at once; anything else is offered once and forgotten)
    }
    PoolRegistry.AcquireTimes times = info.acquireTimes;
    if (times == null) {
      times = pools.acquireTimesFor(info.name());
      info.acquireTimes = times;
    }
    if (times != null) {
      times.record(endNanos - startNanos);
    }
  }

  private SourceInfo sourceInfo(Object source) {
    SourceInfo s = sources.get(source);
    if (s == null) {
      s = SourceInfo.of(source);
      sources.putIfRoom(source, s);
    }
    return s;
  }

  @Override
  public void acquireFailed(
      Object source, String url, Throwable error, long startNanos, long endNanos) {
    SourceInfo info = source == null ? null : sourceInfo(source);
    String target = JdbcUrl.target(url != null ? url : info == null ? null : info.url);
    if (isUnreachable(error)) {
      connectFailures.increment();
      String state = sqlState(error);
      synchronized (failures) {
        if (failures.size() == RECENT) {
          failures.removeFirst();
        }
        failures.addLast(new Failure(clock.nanoTime(), target, safeMessage(error), state));
      }
    }
    if (info != null && isAcquireTimeout(error)) {
      acquireTimeouts.computeIfAbsent(info.name(), k -> new LongAdder()).increment();
    }
  }

  @Override
  public void connected(String url) {
    lastSuccessAt = clock.nanoTime();
    noteTarget(url);
  }

  private final java.util.Set<String> targets = ConcurrentHashMap.newKeySet();

  private void noteTarget(String url) {
    if (url != null && targets.size() < 16) {
      String t = JdbcUrl.target(url);
      if (t.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d+")) {
        targets.add(t);
      }
    }
  }

  /** The database hosts ({@code host:port}) the service's JDBC URLs point at, as seen so far. */
  public java.util.Set<String> databaseTargets() {
    sources.forEach((source, info) -> noteTarget(info.url));
    return java.util.Set.copyOf(targets);
  }

  @Override
  public void closed(Object connection) {
    Lease lease = leases.remove(new Probe(connection));
    if (lease == null) {
      return;
    }
    lease.closed = true;
    lease.clear();
    if (lease.reported) {
      long held = clock.nanoTime() - lease.borrowedAt;
      remember(
          returnedLate,
          new LeakRecord(clock.nanoTime(), lease.pool(), lease.threadName, held, frames(lease)));
      NovaLog.info(
          "connection from pool "
              + lease.pool()
              + " suspected as leaked was returned after "
              + held / 1_000_000
              + " ms by "
              + lease.threadName);
    }
  }

  @Override
  public void statementCreated(Object connection, Object statement, String sql) {
    Lease lease = leases.get(new Probe(connection));
    SqlStats prepared = sql == null ? null : statsFor(sql);
    if (lease == null && prepared == null) {
      return;
    }
    statements.putIfRoom(statement, new StatementInfo(lease, prepared));
  }

  @Override
  public Object executeStart(Object statement, String sql) {
    executions.increment();
    StatementInfo info = statements.get(statement);
    SqlStats stats =
        sql != null ? statsFor(sql) : info != null && info.prepared != null ? info.prepared : other;
    Lease lease = info == null ? null : info.lease;
    Execution e = new Execution(Thread.currentThread(), clock.nanoTime(), stats, lease, statement);
    if (lease != null) {
      lease.current = e;
      if (stats.writes && lease.lastWrite != stats) {
        // what DB_LOCK_WAIT names when this connection's open transaction blocks another; the
        // same statement again (a batch, a loop) keeps the stack of its first run, so a borrow
        // pays one capture per distinct writing statement, not one per row
        lease.lastWrite = stats;
        lease.lastWriteStack = writeStacks ? new Throwable("wrote here") : null;
      }
    } else if (orphans.size() < MAX_ORPHANS) {
      orphans.put(e, Boolean.TRUE);
    }
    return e;
  }

  @Override
  public void executeEnd(Object token, Throwable error) {
    Execution e = (Execution) token;
    if (!e.state.compareAndSet(Execution.RUNNING, Execution.FINISHED)) {
      // a cancel is in flight for this very statement: let it land before the connection moves on
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (e.state.get() == Execution.CANCELLING && System.nanoTime() < deadline) {
        LockSupport.parkNanos(100_000);
      }
    }
    long now = clock.nanoTime();
    long elapsed = now - e.startedAt;
    e.stats.record(elapsed, error != null);
    if (e.lease != null) {
      if (e.lease.current == e) {
        e.lease.current = null;
      }
    } else {
      orphans.remove(e);
    }
    if (elapsed >= slowNanos) {
      List<String> stack = AppFrames.of(new Throwable().getStackTrace(), stackDepth);
      remember(slow, new SlowSample(now, e.stats.sql, elapsed, e.thread.getName(), stack));
    }
  }

  @Override
  public void poolCreated(Object pool) {
    pools.register(pool);
  }

  // ---------------------------------------------------------------- statistics

  private SqlStats statsFor(String raw) {
    SqlStats s = byRaw.get(raw);
    if (s != null) {
      return s;
    }
    String normalized = SqlNormalizer.normalize(raw);
    s = byNormalized.get(normalized);
    if (s == null) {
      if (byNormalized.size() >= MAX_SQL) {
        s = other;
      } else {
        s = byNormalized.computeIfAbsent(normalized, SqlStats::new);
      }
    }
    if (byRaw.size() >= MAX_RAW_SQL) {
      byRaw.clear(); // literal-laden SQL never repeats: start over rather than grow
    }
    byRaw.put(raw, s);
    return s;
  }

  // ---------------------------------------------------------------- what detectors read

  /** Drains leases whose connections were collected without close: proven leaks. */
  public List<LeakRecord> drainCollected() {
    List<LeakRecord> found = new ArrayList<>();
    Reference<?> r;
    while ((r = collected.poll()) != null) {
      Lease lease = (Lease) r;
      leases.remove(lease);
      if (!lease.closed) {
        LeakRecord rec =
            new LeakRecord(
                clock.nanoTime(),
                lease.pool(),
                lease.threadName,
                clock.nanoTime() - lease.borrowedAt,
                frames(lease));
        found.add(rec);
        remember(collectedLeaks, rec);
        if (!lease.reported) {
          leaksTotal.increment();
          onLeak.accept(lease);
        }
      }
    }
    statements.expunge();
    sources.expunge();
    return found;
  }

  /** Marks a lease as reported once; counts it as a leak the first time. */
  void reportSuspect(Lease lease) {
    if (!lease.reported) {
      lease.reported = true;
      leaksTotal.increment();
      onLeak.accept(lease);
    }
  }

  List<String> frames(Lease lease) {
    return AppFrames.of(lease.borrowFrames(), stackDepth);
  }

  List<String> lastWriteFrames(Lease lease) {
    return AppFrames.of(lease.lastWriteFrames(), stackDepth);
  }

  /** Live leases, oldest first. */
  public List<Lease> leases() {
    List<Lease> out = new ArrayList<>();
    for (Lease l : leases.values()) {
      if (!l.closed && l.get() != null) {
        out.add(l);
      }
    }
    out.sort((a, b) -> Long.compare(a.borrowedAt, b.borrowedAt));
    return out;
  }

  /** Executions running now, longest first. */
  public List<Execution> running() {
    List<Execution> out = new ArrayList<>();
    for (Lease l : leases.values()) {
      Execution e = l.current;
      if (e != null && e.running()) {
        out.add(e);
      }
    }
    for (Execution e : orphans.keySet()) {
      if (e.running()) {
        out.add(e);
      }
    }
    out.sort((a, b) -> Long.compare(a.startedAt, b.startedAt));
    return out;
  }

  public List<SqlStats> statistics() {
    List<SqlStats> out = new ArrayList<>(byNormalized.values());
    if (other.calls.sum() > 0) {
      out.add(other);
    }
    out.sort((a, b) -> Long.compare(b.totalNanos.sum(), a.totalNanos.sum()));
    return out;
  }

  public List<Failure> failures() {
    synchronized (failures) {
      return new ArrayList<>(failures);
    }
  }

  public List<SlowSample> slowSamples() {
    synchronized (slow) {
      return new ArrayList<>(slow);
    }
  }

  public List<LeakRecord> collectedLeaks() {
    synchronized (collectedLeaks) {
      return new ArrayList<>(collectedLeaks);
    }
  }

  public List<LeakRecord> returnedLate() {
    synchronized (returnedLate) {
      return new ArrayList<>(returnedLate);
    }
  }

  public long lastSuccessAt() {
    return lastSuccessAt;
  }

  public long acquireTimeouts(String pool) {
    LongAdder a = acquireTimeouts.get(pool);
    return a == null ? 0 : a.sum();
  }

  public long leaksTotal() {
    return leaksTotal.sum();
  }

  public long borrows() {
    return borrows.sum();
  }

  public long executions() {
    return executions.sum();
  }

  public long connectFailures() {
    return connectFailures.sum();
  }

  public long untrackedLeases() {
    return untrackedLeases.sum();
  }

  public int trackedStatements() {
    return statements.size();
  }

  public NovaClock clock() {
    return clock;
  }

  public long slowNanos() {
    return slowNanos;
  }

  public int stackDepth() {
    return stackDepth;
  }

  NovaHealth health() {
    return health;
  }

  private static <T> void remember(Deque<T> ring, T item) {
    synchronized (ring) {
      if (ring.size() == RECENT) {
        ring.removeFirst();
      }
      ring.addLast(item);
    }
  }

  // ---------------------------------------------------------------- classifying errors

  static boolean isUnreachable(Throwable error) {
    for (Throwable t = error; t != null; t = next(t)) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException) {
        return true;
      }
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  /** HikariCP's timeout, or commons-pool2's "Timeout waiting for idle object" under DBCP2. */
  static boolean isAcquireTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = next(t)) {
      if (t instanceof SQLTransientConnectionException
          || (t instanceof java.util.NoSuchElementException
              && t.getMessage() != null
              && t.getMessage().startsWith("Timeout waiting"))) {
        return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    if (t instanceof SQLException s && s.getNextException() != null && s.getNextException() != t) {
      return s.getNextException();
    }
    return t.getCause() == t ? null : t.getCause();
  }

  static String sqlState(Throwable error) {
    for (Throwable t = error; t != null; t = next(t)) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /** The deepest message, without anything that looks like a credential. */
  static String safeMessage(Throwable error) {
    Throwable deepest = error;
    for (Throwable t = error; t != null; t = next(t)) {
      if (t.getMessage() != null) {
        deepest = t;
      }
    }
    String m = deepest.getClass().getSimpleName() + ": " + deepest.getMessage();
    m = dev.nova.core.util.Redaction.redact(m);
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}

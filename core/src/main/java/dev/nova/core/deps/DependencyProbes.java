package dev.nova.core.deps;

import dev.nova.core.diagnosis.Detector;
import dev.nova.core.diagnosis.Hold;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.core.health.NovaHealth;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runbook scenario 3's {@code telnet}, {@code nc} and {@code redis-cli ping}, from inside the JVM:
 * a TCP connect to each dependency (the database hosts the JDBC URLs point at, found by themselves,
 * and those the {@code deps} option lists) on a slow, jittered schedule, on one daemon thread of
 * Nova's. A dependency that fails is probed less often (the interval doubles, up to ten times), so
 * Nova never floods a sick one. {@code DEPENDENCY_UNREACHABLE} after two failures in a row, with
 * the error: "connection refused" (nothing listens: the process is down) and "timed out" (a network
 * or firewall problem, or an overloaded host) are different branches of the runbook.
 */
public final class DependencyProbes implements Detector, AutoCloseable {
  static final int MAX_TARGETS = 32;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /** One dependency and what its probes found. */
  public static final class Target {
    final String name;
    final String host;
    final int port;
    final String source;
    volatile long nextAt;
    volatile int consecutiveFailures;
    volatile long probes;
    volatile long failures;
    volatile double lastConnectMs = -1;
    volatile String lastError;
    volatile long lastProbeAt = Long.MIN_VALUE;
    volatile long failingSince = Long.MIN_VALUE;

    Target(String name, String host, int port, String source) {
      this.name = name;
      this.host = host;
      this.port = port;
      this.source = source;
    }
  }

  private final NovaClock clock;
  private final NovaHealth health;
  private final long intervalNanos;
  private final Supplier<Set<String>> databaseTargets;
  private final Map<String, Target> targets = new ConcurrentHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final Hold hold;
  private volatile Thread runner;
  private volatile boolean closed;

  /** The finding is held for {@code hold} after every target answers again. */
  public DependencyProbes(
      NovaClock clock,
      NovaHealth health,
      String spec,
      Duration interval,
      Supplier<Set<String>> databaseTargets,
      Duration hold) {
    this.hold = new Hold(hold, Duration.ofMinutes(10));
    this.clock = clock;
    this.health = health;
    this.intervalNanos = interval.toNanos();
    this.databaseTargets = databaseTargets;
    if (spec != null) {
      for (String entry : spec.split(";")) {
        String e = entry.trim();
        if (e.isEmpty()) {
          continue;
        }
        String[] parts = e.split(":");
        int port = parts.length == 3 ? parsePort(parts[2]) : -1;
        if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || port < 0) {
          problems.add("deps: '" + e + "' is not name:host:port; ignored");
          continue;
        }
        add(parts[0].trim(), parts[1].trim(), port, "deps option");
      }
    }
  }

  private static int parsePort(String s) {
    try {
      int p = Integer.parseInt(s.trim());
      return p > 0 && p < 65536 ? p : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void add(String name, String host, int port, String source) {
    String key = host + ":" + port;
    if (targets.size() < MAX_TARGETS) {
      targets.computeIfAbsent(key, k -> new Target(name, host, port, source));
    }
  }

  /** Problems with the {@code deps} option, for stderr and the report. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Starts probing on a daemon thread. */
  public void start() {
    Thread t = new Thread(this::loop, "nova-probes");
    t.setDaemon(true);
    runner = t;
    t.start();
  }

  private void loop() {
    while (!closed) {
      try {
        discover();
        long now = clock.nanoTime();
        long next = now + intervalNanos;
        for (Target t : targets.values()) {
          if (t.nextAt <= now) {
            probe(t);
            t.nextAt = clock.nanoTime() + jittered(t);
          }
          next = Math.min(next, t.nextAt);
        }
        long sleep = Math.max(50_000_000L, next - clock.nanoTime());
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        health.recordSuppressed("dependency probes", t);
      }
    }
  }

  /** Database hosts from the JDBC URLs seen so far join the targets. */
  void discover() {
    for (String t : databaseTargets.get()) {
      int colon = t.lastIndexOf(':');
      int port = parsePort(t.substring(colon + 1));
      if (colon > 0 && port > 0) {
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        add("database", host, port, "JDBC URL");
      }
    }
  }

  private long jittered(Target t) {
    long base = intervalNanos << Math.min(t.consecutiveFailures, 3); // backs off up to 8x
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return (long) (base * jitter);
  }

  /** One probe: a TCP connect with a timeout, closed at once. */
  void probe(Target t) {
    long start = System.nanoTime();
    String error = null;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(t.host, t.port), (int) CONNECT_TIMEOUT.toMillis());
    } catch (ConnectException e) {
      error = "connection refused";
    } catch (SocketTimeoutException e) {
      error = "timed out after " + CONNECT_TIMEOUT.toMillis() + " ms";
    } catch (UnknownHostException e) {
      error = "unknown host";
    } catch (NoRouteToHostException e) {
      error = "no route to host";
    } catch (IOException | RuntimeException e) {
      error = e.getClass().getSimpleName();
    }
    t.probes++;
    t.lastProbeAt = clock.nanoTime();
    if (error == null) {
      t.lastConnectMs = Math.round((System.nanoTime() - start) / 10_000.0) / 100.0;
      t.consecutiveFailures = 0;
      t.lastError = null;
      t.failingSince = Long.MIN_VALUE;
    } else {
      t.failures++;
      if (t.consecutiveFailures++ == 0) {
        t.failingSince = t.lastProbeAt;
      }
      t.lastError = error;
    }
  }

  /** Probes every target now (tests; the schedule goes on). */
  public void probeAllNow() {
    discover();
    for (Target t : targets.values()) {
      probe(t);
    }
  }

  @Override
  public String name() {
    return "dependencies";
  }

  @Override
  public List<Finding> evaluate(NovaClock c) {
    List<Finding> out = new ArrayList<>(1);
    hold.add(out, unreachable(), c.nanoTime());
    return out;
  }

  private Finding unreachable() {
    List<Evidence> down = new ArrayList<>();
    boolean database = false;
    for (Target t : targets.values()) {
      if (t.consecutiveFailures >= 2) {
        down.add(
            Evidence.builder()
                .put("name", t.name)
                .put("target", t.host + ":" + t.port)
                .put("error", t.lastError)
                .put("consecutiveFailures", t.consecutiveFailures)
                .put("failingSeconds", (clock.nanoTime() - t.failingSince) / 1_000_000_000L)
                .put("foundIn", t.source)
                .build());
        database |= t.name.equals("database");
      }
    }
    if (down.isEmpty()) {
      return null;
    }
    String first = (String) down.get(0).get("name");
    return new Finding(
        FindingCode.DEPENDENCY_UNREACHABLE,
        database ? Severity.CRITICAL : Severity.HIGH,
        down.size() == 1
            ? first + " at " + down.get(0).get("target") + ": " + down.get(0).get("error")
            : down.size() + " dependencies unreachable",
        Evidence.builder()
            .list("unreachable", down)
            .put(
                "meaning",
                "connection refused: nothing listens (process down or wrong port); timed out:"
                    + " network, firewall or an overloaded host")
            .build(),
        List.of());
  }

  /** {@code signals.deps}. */
  public Map<String, Object> snapshot() {
    if (targets.isEmpty() && problems.isEmpty()) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> rows = new ArrayList<>();
    long now = clock.nanoTime();
    for (Target t : targets.values()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", t.name);
      r.put("target", t.host + ":" + t.port);
      r.put("foundIn", t.source);
      r.put("state", t.probes == 0 ? "not probed yet" : t.lastError == null ? "up" : "down");
      r.put("lastConnectMs", t.lastConnectMs < 0 ? null : t.lastConnectMs);
      r.put("lastError", t.lastError);
      r.put("probes", t.probes);
      r.put("failures", t.failures);
      r.put(
          "lastProbeSecondsAgo",
          t.lastProbeAt == Long.MIN_VALUE ? null : (now - t.lastProbeAt) / 1_000_000_000L);
      rows.add(r);
    }
    m.put("targets", rows);
    m.put("intervalSeconds", intervalNanos / 1_000_000_000L);
    if (!problems.isEmpty()) {
      m.put("problems", problems());
    }
    return m;
  }

  @Override
  public void close() {
    closed = true;
    Thread t = runner;
    if (t != null) {
      t.interrupt();
    }
  }
}

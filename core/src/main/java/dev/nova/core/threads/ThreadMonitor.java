package dev.nova.core.threads;

import dev.nova.core.bridge.ThreadBridge;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.jdbc.AppFrames;
import dev.nova.core.jvm.JfrStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import jdk.jfr.EventSettings;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * Threads as the runbook's goroutine steps want them: the live count over time, and for every live
 * thread the stack that started it. Under the agent, its advice on {@code java.lang.Thread.start}
 * hands each new platform thread over on the starting thread, whose stack is read then (a few
 * microseconds beside the start of an operating-system thread; see {@link ThreadBridge}). As a
 * library, or where that weaving failed, JDK Flight Recorder's {@code jdk.ThreadStart} events give
 * the same stacks (an in-process stream). Without either the counts remain and the report says that
 * creation sites are missing. Entries of threads that have ended are dropped each round.
 */
public final class ThreadMonitor implements AutoCloseable {
  static final int MAX_THREADS = 20_000;
  static final int MAX_SITES = 1_000;
  static final int MAX_SAMPLES = 4_096;
  static final int SITE_DEPTH = 12;

  /** Frames read at a start: enough to get past the JDK's and the executor's to the caller's. */
  static final int WALK_DEPTH = 48;

  static final String HOOKED = "on: the agent's advice on java.lang.Thread.start";

  /** Where threads were started: its frames, application first. */
  public record Site(String key, List<String> frames) {}

  private final NovaClock clock;
  private final NovaHealth health;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Site> siteByThread = new ConcurrentHashMap<>();
  private final Map<String, Site> sites = new ConcurrentHashMap<>();
  private final Deque<long[]> samples = new ArrayDeque<>();
  private final JfrStream jfr;
  private final JfrStream.Part part;
  private final Consumer<Thread> hook = this::startedHere;

  public ThreadMonitor(NovaClock clock, NovaHealth health, JfrStream jfr) {
    this.clock = clock;
    this.health = health;
    this.jfr = jfr;
    health.track("thread-sites", siteByThread::size, 96);
    Map<String, Consumer<EventSettings>> events = new LinkedHashMap<>();
    events.put("jdk.ThreadStart", EventSettings::withStackTrace);
    events.put("jdk.ThreadEnd", e -> {});
    this.part =
        jfr.add(
            "jdk.ThreadStart, jdk.ThreadEnd",
            events,
            rs -> {
              rs.onEvent("jdk.ThreadStart", this::started);
              rs.onEvent("jdk.ThreadEnd", this::ended);
            },
            !ThreadBridge.woven());
    ThreadBridge.install(hook);
  }

  /** A thread the agent saw start, on the thread that started it. */
  private void startedHere(Thread t) {
    if (siteByThread.size() >= MAX_THREADS) {
      return;
    }
    StackTraceElement[] trace = WALKER.walk(FRAMES);
    record(t.getId(), trace);
  }

  private static final StackWalker WALKER = StackWalker.getInstance();

  /** The starter's frames: those above {@code Thread.start} (Nova's and the bridge's) dropped. */
  private static final Function<Stream<StackWalker.StackFrame>, StackTraceElement[]> FRAMES =
      s ->
          s.dropWhile(f -> !isStart(f))
              .dropWhile(ThreadMonitor::isStart)
              .limit(WALK_DEPTH)
              .map(StackWalker.StackFrame::toStackTraceElement)
              .toArray(StackTraceElement[]::new);

  private static boolean isStart(StackWalker.StackFrame f) {
    return f.getMethodName().equals("start") && f.getClassName().equals("java.lang.Thread");
  }

  private void started(RecordedEvent e) {
    try {
      RecordedThread t = e.getThread("thread");
      if (t == null || e.getStackTrace() == null || siteByThread.size() >= MAX_THREADS) {
        return;
      }
      record(t.getJavaThreadId(), JfrStream.trace(e.getStackTrace()));
    } catch (Throwable t) {
      health.recordSuppressed("jfr thread start", t);
    }
  }

  private void record(long id, StackTraceElement[] trace) {
    List<String> app = AppFrames.of(trace, SITE_DEPTH);
    String key = app.isEmpty() ? "(unknown)" : app.get(0);
    Site site = sites.get(key);
    if (site == null) {
      site =
          sites.size() < MAX_SITES
              ? sites.computeIfAbsent(key, k -> new Site(k, app))
              : new Site(key, app);
    }
    siteByThread.put(id, site);
  }

  /** Stops taking starts from the agent's advice (Nova closes). */
  @Override
  public void close() {
    ThreadBridge.uninstall(hook);
  }

  private void ended(RecordedEvent e) {
    try {
      RecordedThread t = e.getThread("thread");
      if (t != null) {
        siteByThread.remove(t.getJavaThreadId());
      }
    } catch (Throwable t) {
      health.recordSuppressed("jfr thread end", t);
    }
  }

  /** Takes one sample of the live count; called every detector round. */
  public void sample() {
    long[] s = {clock.nanoTime(), threads.getThreadCount(), threads.getTotalStartedThreadCount()};
    if (ThreadBridge.woven() == part.wanted()) {
      part.want(!ThreadBridge.woven()); // the weaving failed after all: JFR gives the sites
    }
    if (siteByThread.size() > s[1]) {
      // ended threads: the advice sees starts only (and JFR may deliver an end before its start)
      java.util.Set<Long> live = new java.util.HashSet<>();
      for (long id : threads.getAllThreadIds()) {
        live.add(id);
      }
      siteByThread.keySet().retainAll(live);
    }
    synchronized (samples) {
      samples.addLast(s);
      while (samples.size() > MAX_SAMPLES) {
        samples.removeFirst();
      }
    }
  }

  /** Samples no older than the window: {time, live, startedTotal}. */
  public List<long[]> samples(long windowNanos) {
    long from = clock.nanoTime() - windowNanos;
    List<long[]> out = new ArrayList<>();
    synchronized (samples) {
      for (long[] s : samples) {
        if (s[0] >= from) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** The creation site of a thread, if JFR saw it start. */
  public Site siteOf(long threadId) {
    return siteByThread.get(threadId);
  }

  /** Live threads counted by creation site, most first. */
  public List<Map.Entry<Site, Integer>> liveBySite() {
    Map<Site, Integer> counts = new LinkedHashMap<>();
    for (long id : threads.getAllThreadIds()) {
      Site s = siteByThread.get(id);
      if (s != null) {
        counts.merge(s, 1, Integer::sum);
      }
    }
    List<Map.Entry<Site, Integer>> out = new ArrayList<>(counts.entrySet());
    out.sort((a, b) -> b.getValue() - a.getValue());
    return out;
  }

  /** Live threads counted by name with digits folded ({@code worker-{n}}), most first. */
  public List<Map.Entry<String, Integer>> liveByName() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (ti != null) {
        counts.merge(fold(ti.getThreadName()), 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> out = new ArrayList<>(counts.entrySet());
    out.sort((a, b) -> b.getValue() - a.getValue());
    return out;
  }

  static String fold(String name) {
    return name.replaceAll("\\d+", "{n}");
  }

  /** Whether creation sites are recorded, and if not, why. */
  public String jfrStatus() {
    if (ThreadBridge.woven()) {
      return HOOKED;
    }
    if (jfr.running() && part.wanted()) {
      return "on: jdk.ThreadStart, jdk.ThreadEnd";
    }
    return jfr.status() + ": thread creation sites are not recorded";
  }
}

package dev.nova.core.threads;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.jdbc.AppFrames;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Threads as the runbook's goroutine steps want them: the live count over time, and for every live
 * thread the stack that started it, from JDK Flight Recorder's {@code jdk.ThreadStart} events (an
 * in-process stream with only those events enabled). Without JFR the counts remain and the report
 * says that creation sites are missing.
 */
public final class ThreadMonitor implements AutoCloseable {
  static final int MAX_THREADS = 20_000;
  static final int MAX_SITES = 1_000;
  static final int MAX_SAMPLES = 4_096;
  static final int SITE_DEPTH = 12;

  /** Where threads were started: its frames, application first. */
  public record Site(String key, List<String> frames) {}

  private final NovaClock clock;
  private final NovaHealth health;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Site> siteByThread = new ConcurrentHashMap<>();
  private final Map<String, Site> sites = new ConcurrentHashMap<>();
  private final Deque<long[]> samples = new ArrayDeque<>();
  private volatile RecordingStream stream;
  private volatile String jfrStatus = "not started";
  private final java.util.concurrent.CountDownLatch streaming =
      new java.util.concurrent.CountDownLatch(1);

  public ThreadMonitor(NovaClock clock, NovaHealth health) {
    this.clock = clock;
    this.health = health;
    health.track("thread-sites", siteByThread::size, 96);
  }

  /** Starts the JFR stream; any failure leaves counts only, said in {@link #jfrStatus()}. */
  public void start(boolean useJfr) {
    if (!useJfr) {
      jfrStatus = "off (jfr=false): thread creation sites are not recorded";
      return;
    }
    try {
      RecordingStream rs = new RecordingStream();
      rs.enable("jdk.ThreadStart").withStackTrace();
      rs.enable("jdk.ThreadEnd");
      rs.setMaxAge(Duration.ofSeconds(30));
      rs.onEvent("jdk.ThreadStart", this::started);
      rs.onEvent("jdk.ThreadEnd", this::ended);
      rs.onError(t -> health.recordSuppressed("jfr stream", t));
      rs.onFlush(streaming::countDown);
      // startAsync() would process events on a non-daemon thread of JFR's, which keeps the
      // host's JVM alive: run the stream on a daemon thread of Nova's instead.
      Thread runner =
          new Thread(
              () -> {
                try {
                  rs.start();
                } catch (Throwable t) {
                  jfrStatus = "stopped (" + t + "): thread creation sites are no longer recorded";
                }
              },
              "nova-jfr");
      runner.setDaemon(true);
      runner.start();
      stream = rs;
      jfrStatus = "on: jdk.ThreadStart, jdk.ThreadEnd";
    } catch (Throwable t) {
      jfrStatus =
          "unavailable ("
              + t.getClass().getSimpleName()
              + ": "
              + t.getMessage()
              + "): thread creation sites are not recorded";
    }
  }

  private void started(RecordedEvent e) {
    try {
      RecordedThread t = e.getThread("thread");
      if (t == null || e.getStackTrace() == null || siteByThread.size() >= MAX_THREADS) {
        return;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      StackTraceElement[] trace = new StackTraceElement[frames.size()];
      for (int i = 0; i < trace.length; i++) {
        RecordedFrame f = frames.get(i);
        String type = f.getMethod().getType().getName();
        String outer = type.substring(type.lastIndexOf('.') + 1);
        int dollar = outer.indexOf('$');
        String file = (dollar < 0 ? outer : outer.substring(0, dollar)) + ".java";
        trace[i] = new StackTraceElement(type, f.getMethod().getName(), file, f.getLineNumber());
      }
      List<String> app = AppFrames.of(trace, SITE_DEPTH);
      String key = app.isEmpty() ? "(unknown)" : app.get(0);
      Site site = sites.get(key);
      if (site == null) {
        site =
            sites.size() < MAX_SITES
                ? sites.computeIfAbsent(key, k -> new Site(k, app))
                : new Site(key, app);
      }
      siteByThread.put(t.getJavaThreadId(), site);
    } catch (Throwable t) {
      health.recordSuppressed("jfr thread start", t);
    }
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

  /** Waits until JFR has delivered its first batch, so threads started from now on are seen. */
  public boolean awaitStreaming(Duration timeout) throws InterruptedException {
    return streaming.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Takes one sample of the live count; called every detector round. */
  public void sample() {
    long[] s = {clock.nanoTime(), threads.getThreadCount(), threads.getTotalStartedThreadCount()};
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

  public String jfrStatus() {
    return jfrStatus;
  }

  @Override
  public void close() {
    RecordingStream rs = stream;
    if (rs != null) {
      try {
        rs.close();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
  }
}

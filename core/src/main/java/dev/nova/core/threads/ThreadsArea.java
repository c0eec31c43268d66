package dev.nova.core.threads;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.bridge.ExecutorBridge;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.jvm.JvmArea;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Threads (runbook scenario 5): live threads by creation site from JFR, {@code THREAD_LEAK}, and
 * the {@code thread-dump} action that marks the leaking sites.
 */
public final class ThreadsArea implements Area {
  private static final int LISTED = 10;

  /** What one registered pool costs Nova, roughly, for {@code agent.heapEstimateBytes}. */
  private static final long BYTES_PER_EXECUTOR = 96;

  private final JvmArea jvm;
  private final ExecutorRegistry executors = new ExecutorRegistry();

  public ThreadsArea(JvmArea jvm) {
    this.jvm = jvm;
  }

  @Override
  public String name() {
    return "threads";
  }

  @Override
  public void install(Wiring w) {
    ThreadMonitor monitor = new ThreadMonitor(w.clock(), w.health(), jvm.jfr());
    Duration window = w.config().get(Options.THREADS_WINDOW);
    w.signal(signal(jvm.signals().threads(), monitor, window.toNanos()));
    w.detector(new ThreadLeakDetector(monitor, window, w.hold()));
    w.onClose(monitor);
    w.detector(new DeadlockDetector());
    w.detector(
        new LockContentionDetector(
            w.config().get(Options.LOCK_WAITERS), w.config().get(Options.LOCK_WINDOW), w.hold()));
    w.detector(
        new ExecutorSaturationDetector(
            executors, w.config().get(Options.EXECUTOR_WINDOW), w.hold()));
    w.signal(SignalSource.of("executors", this::executorsSnapshot));
    BiConsumer<Object, StackTraceElement> made = executors::registerFound;
    w.bridge(() -> ExecutorBridge.install(made), () -> ExecutorBridge.uninstall(made));
    w.health().track("executors", executors::size, BYTES_PER_EXECUTOR);
    w.action(
        new ThreadDumpAction(
            id -> {
              ThreadMonitor.Site s = monitor.siteOf(id);
              return s == null ? null : s.key();
            }));
  }

  /** The thread pools {@code EXECUTOR_SATURATED} watches: register the service's own here. */
  public ExecutorRegistry executors() {
    return executors;
  }

  /** {@code signals.executors}: each registered pool's figures now; absent when none is. */
  private Map<String, Object> executorsSnapshot() {
    List<ExecutorRegistry.Figures> all = executors.figures();
    if (all.isEmpty()) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (ExecutorRegistry.Figures f : all) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("active", f.active());
      one.put("poolSize", f.poolSize());
      one.put("maxSize", f.maxSize());
      one.put("queued", f.queued());
      one.put("queueRemaining", f.queueRemaining() < 0 ? "unbounded" : f.queueRemaining());
      one.put("completed", f.completed());
      if (f.createdAt() != null) {
        one.put("createdAt", f.createdAt());
      }
      m.put(f.name(), one);
    }
    return m;
  }

  /** {@code signals.threads}: the JVM's counts, the window's starts and ends, the top sites. */
  private static SignalSource signal(SignalSource base, ThreadMonitor monitor, long windowNanos) {
    return SignalSource.of(
        "threads",
        () -> {
          Map<String, Object> m = new LinkedHashMap<>(base.snapshot());
          List<long[]> window = monitor.samples(windowNanos);
          if (window.size() >= 2) {
            long[] first = window.get(0);
            long[] last = window.get(window.size() - 1);
            long started = last[2] - first[2];
            m.put("windowSeconds", (last[0] - first[0]) / 1_000_000_000L);
            m.put("startedInWindow", started);
            m.put("endedInWindow", started - (last[1] - first[1]));
          }
          List<Object> sites = new ArrayList<>();
          for (Map.Entry<ThreadMonitor.Site, Integer> e : monitor.liveBySite()) {
            if (sites.size() < LISTED) {
              sites.add(Map.of("startedAt", e.getKey().key(), "liveThreads", e.getValue()));
            }
          }
          m.put("byCreationSite", sites);
          List<Object> names = new ArrayList<>();
          for (Map.Entry<String, Integer> e : monitor.liveByName()) {
            if (names.size() < LISTED) {
              names.add(Map.of("pattern", e.getKey(), "liveThreads", e.getValue()));
            }
          }
          m.put("byName", names);
          m.put("creationSites", monitor.jfrStatus());
          return m;
        });
  }
}

package dev.nova.core.diagnosis;

import dev.nova.core.finding.Finding;
import dev.nova.core.health.NovaHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs every detector on one named daemon thread ({@code nova-detectors}) at a fixed delay.
 *
 * <p>A detector that throws is counted in {@link NovaHealth} and the round goes on with the next
 * one: the periodic task itself never throws, so it is never silently cancelled. {@link #runOnce()}
 * runs one round on the caller's thread, which is how tests drive detectors with their own clock.
 */
public final class DetectorScheduler implements AutoCloseable {

  /** What the report shows about one detector. */
  public record DetectorState(
      String name, long runs, long failures, String lastError, List<Finding> findings) {}

  private static final class Slot {
    final Detector detector;
    final AtomicLong runs = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    volatile String lastError;
    volatile List<Finding> findings = List.of();

    Slot(Detector detector) {
      this.detector = detector;
    }
  }

  private final NovaClock clock;
  private final NovaHealth health;
  private final List<Slot> slots = new CopyOnWriteArrayList<>();
  private final Map<String, Slot> byName = new ConcurrentHashMap<>();
  private final Object roundLock = new Object();
  private final List<java.util.function.Consumer<List<Finding>>> rounds =
      new CopyOnWriteArrayList<>();
  private volatile ScheduledExecutorService executor;

  public DetectorScheduler(NovaClock clock, NovaHealth health) {
    this.clock = clock;
    this.health = health;
  }

  /** Adds a detector; a second detector with the same name is refused. */
  public void register(Detector detector) {
    Slot slot = new Slot(detector);
    if (byName.putIfAbsent(detector.name(), slot) != null) {
      throw new IllegalArgumentException("a detector named " + detector.name() + " is registered");
    }
    slots.add(slot);
  }

  /** Called after every round with the findings held then; one that throws is counted. */
  public void onRound(java.util.function.Consumer<List<Finding>> listener) {
    rounds.add(listener);
  }

  /** Starts the periodic rounds. Calling it twice does nothing the second time. */
  public synchronized void start(Duration interval) {
    if (executor != null) {
      return;
    }
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "nova-detectors");
              t.setDaemon(true);
              t.setPriority(Thread.NORM_PRIORITY - 1);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    long ms = Math.max(1, interval.toMillis());
    ex.scheduleWithFixedDelay(this::runOnceQuietly, ms, ms, TimeUnit.MILLISECONDS);
    executor = ex;
  }

  private void runOnceQuietly() {
    try {
      runOnce();
    } catch (Throwable t) {
      // runOnce catches per detector; this is the last guard that keeps the schedule alive
      health.recordSuppressed("detector-scheduler", t);
    }
  }

  /** Runs every detector once, in registration order, on the calling thread. */
  public void runOnce() {
    synchronized (roundLock) {
      for (Slot slot : slots) {
        slot.runs.incrementAndGet();
        try {
          List<Finding> found = slot.detector.evaluate(clock);
          slot.findings = found == null ? List.of() : List.copyOf(found);
        } catch (Throwable t) {
          slot.failures.incrementAndGet();
          slot.lastError = t.getClass().getName() + ": " + t.getMessage();
          health.recordDetectorFailure(slot.detector.name(), t);
        }
      }
      if (!rounds.isEmpty()) {
        List<Finding> now = findings();
        for (java.util.function.Consumer<List<Finding>> r : rounds) {
          try {
            r.accept(now);
          } catch (Throwable t) {
            health.recordSuppressed("round listener", t);
          }
        }
      }
    }
  }

  /** The findings every detector holds now. */
  public List<Finding> findings() {
    List<Finding> all = new ArrayList<>();
    for (Slot slot : slots) {
      all.addAll(slot.findings);
    }
    return all;
  }

  public List<DetectorState> states() {
    List<DetectorState> out = new ArrayList<>();
    for (Slot s : slots) {
      out.add(
          new DetectorState(
              s.detector.name(), s.runs.get(), s.failures.get(), s.lastError, s.findings));
    }
    return out;
  }

  public NovaClock clock() {
    return clock;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}

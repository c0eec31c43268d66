package dev.nova.core.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nova.core.Nova;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import dev.nova.core.finding.Severity;
import dev.nova.testing.Jobs;
import dev.nova.testing.ManualClock;
import dev.nova.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code EXECUTOR_SATURATED} on real thread pools whose workers a test holds: raised once the pool
 * has stayed saturated over most of the window, HIGH when its bounded queue fills, with the
 * workers' stacks; gone after the hold once the work drains.
 */
class ExecutorSaturationDetectorTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration WINDOW = Duration.ofSeconds(4);
  static final Duration HOLD = Duration.ofSeconds(2);

  final ManualClock clock = new ManualClock();
  final ExecutorRegistry registry = new ExecutorRegistry();
  final ExecutorSaturationDetector detector =
      new ExecutorSaturationDetector(registry, WINDOW, HOLD);
  final Jobs jobs = new Jobs();
  final ThreadPoolExecutor pool =
      new ThreadPoolExecutor(
          2, 2, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(3), new Jobs.NamedThreads("jobs-"));

  @AfterEach
  void stop() {
    jobs.release();
    pool.shutdownNow();
  }

  private List<Finding> round() {
    List<Finding> f = detector.evaluate(clock);
    clock.advance(Duration.ofSeconds(1));
    return f;
  }

  private void busy(int workers) {
    for (int i = 0; i < workers; i++) {
      pool.execute(jobs.holding());
    }
    Poll.until("workers busy: " + pool, WAIT, () -> pool.getActiveCount() == workers);
  }

  @Test
  void aPoolWhoseWorkersAreAllBusyWithTasksQueuedIsSaturated() {
    assertThat(registry.register("jobs", pool)).isTrue();
    busy(2);
    pool.execute(jobs.holding());
    assertThat(round()).as("one round is not a window").isEmpty();
    assertThat(round()).isEmpty();
    List<Finding> f = round(); // three rounds over two seconds: half the window seen
    assertThat(f).hasSize(1);
    Finding s = f.get(0);
    assertThat(s.code()).isEqualTo(FindingCode.EXECUTOR_SATURATED.code());
    assertThat(s.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(s.title())
        .isEqualTo("executor jobs is saturated: 2/2 workers busy, 1 task(s) queued");
    Map<String, Object> e = s.evidence().values();
    assertThat(e)
        .containsEntry("executor", "jobs")
        .containsEntry("active", 2)
        .containsEntry("maxSize", 2)
        .containsEntry("queued", 1)
        .containsEntry("queueRemaining", 2)
        .containsEntry("threadPrefix", "jobs-");
    assertThat(String.valueOf(e.get("workers")))
        .contains("threads=2")
        .contains("jobs-1")
        .contains("dev.nova.testing.Jobs.hold(");
    assertThat(s.where()).startsWith("dev.nova.testing.Jobs.hold(");
    assertThat(s.actions()).isEqualTo(FindingCode.EXECUTOR_SATURATED.actions());

    pool.execute(jobs.holding());
    pool.execute(jobs.holding());
    Finding full = round().get(0);
    assertThat(full.severity()).as("a full queue rejects the next task").isEqualTo(Severity.HIGH);
    assertThat(full.title()).endsWith("3 task(s) queued, its queue is full");

    jobs.release();
    Poll.until("the queue drained: " + pool, WAIT, () -> pool.getActiveCount() == 0);
    assertThat(round()).as("held for findings.hold").hasSize(1);
    assertThat(round()).as("clear past the hold").isEmpty();
  }

  @Test
  void busyWorkersWithNothingQueuedOrAQueueNowAndThenAreNotSaturation() {
    registry.register("jobs", pool);
    busy(2);
    for (int i = 0; i < 6; i++) {
      assertThat(round()).as("all busy, nothing waits").isEmpty();
    }
    // saturated in one round (the third of five): a burst, not saturation
    ThreadPoolExecutor other =
        new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
    try {
      assertThat(registry.register("bursty", other)).isTrue();
      Jobs burst = new Jobs();
      for (int i = 0; i < 5; i++) {
        if (i == 2) {
          other.execute(burst.holding());
          other.execute(burst.holding());
          Poll.until("one busy", WAIT, () -> other.getActiveCount() == 1);
          assertThat(registry.figures())
              .filteredOn(f -> f.name().equals("bursty"))
              .singleElement()
              .matches(ExecutorRegistry.Figures::saturated, "saturated in the burst");
          assertThat(round()).isEmpty();
          burst.release();
          Poll.until(
              "drained", WAIT, () -> other.getQueue().isEmpty() && other.getActiveCount() == 0);
        } else {
          assertThat(round()).isEmpty();
        }
      }
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aGrowingBacklogOnAnUnboundedQueueIsHigh() {
    ThreadPoolExecutor unbounded =
        new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
    try {
      registry.register("unbounded", unbounded, null);
      unbounded.execute(jobs.holding());
      Poll.until("busy", WAIT, () -> unbounded.getActiveCount() == 1);
      unbounded.execute(jobs.holding());
      round();
      unbounded.execute(jobs.holding());
      round();
      unbounded.execute(jobs.holding());
      Finding f = round().get(0);
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.title()).endsWith("3 task(s) queued and growing");
      assertThat(f.evidence().values())
          .containsEntry("queueRemaining", "unbounded")
          .containsEntry("queuedWhenSaturated", 1)
          .doesNotContainKey("workers");
      assertThat(f.where()).as("no worker names known, no place named").isNull();
    } finally {
      jobs.release();
      unbounded.shutdownNow();
    }
  }

  @Test
  void theRegistryRefusesScheduledPoolsAndTakenNamesAndForgetsTerminatedOnes()
      throws InterruptedException {
    ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(1);
    try {
      assertThat(registry.register("timers", scheduled)).isFalse();
    } finally {
      scheduled.shutdownNow();
    }
    assertThat(registry.register("jobs", pool)).isTrue();
    assertThat(registry.register("again", pool)).as("the same pool twice").isFalse();
    ThreadPoolExecutor other =
        new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
    assertThatThrownBy(() -> registry.register("jobs", other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jobs");
    assertThat(registry.register("other", other)).isTrue();
    assertThat(registry.figures())
        .extracting(ExecutorRegistry.Figures::name)
        .containsExactly("jobs", "other");
    other.shutdown();
    assertThat(other.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(registry.figures())
        .extracting(ExecutorRegistry.Figures::name)
        .containsExactly("jobs");
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aLibraryNovaShowsItsPoolsUnderSignals() {
    try (Nova nova =
        Nova.builder()
            .clock(clock)
            .listen(false)
            .option("executor.window", "2s")
            .option("detect.interval", "1h") // only this test's rounds
            .start()) {
      assertThat(nova.report().signals()).doesNotContainKey("executors");
      nova.executors().register("jobs", pool);
      busy(2);
      Map<String, Object> jobsNow =
          (Map<String, Object>)
              ((Map<String, Object>) nova.report().signals().get("executors")).get("jobs");
      assertThat(jobsNow)
          .containsEntry("active", 2)
          .containsEntry("poolSize", 2)
          .containsEntry("queued", 0)
          .containsEntry("queueRemaining", 3);
      pool.execute(jobs.holding());
      for (int i = 0; i < 3; i++) {
        nova.scheduler().runOnce();
        clock.advance(Duration.ofSeconds(1));
      }
      assertThat(nova.report().findings())
          .extracting(Finding::code)
          .contains(FindingCode.EXECUTOR_SATURATED.code());
    }
  }

  @Test
  void poolsTheAgentSeesMadeAreNamedWhereTheyWereMadeAndNovasAndDriversAreLeftOut() {
    StackTraceElement shop = new StackTraceElement("shop.Reports", "<init>", "Reports.java", 20);
    ThreadPoolExecutor second =
        new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
    ThreadPoolExecutor driver =
        new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    try {
      assertThat(registry.registerFound(pool, shop)).isTrue();
      assertThat(registry.registerFound(pool, shop)).as("the same pool twice").isFalse();
      assertThat(registry.registerFound(second, shop)).isTrue();
      assertThat(
              registry.registerFound(
                  driver, new StackTraceElement("org.h2.util.Pool", "make", "Pool.java", 9)))
          .as("a driver's pool")
          .isFalse();
      assertThat(
              registry.registerFound(
                  driver,
                  new StackTraceElement("dev.nova.core.incident.IncidentArea", "x", "I.java", 1)))
          .as("Nova's own")
          .isFalse();
      assertThat(registry.registerFound(driver, null)).as("made by the JDK itself").isFalse();
      assertThat(registry.registerFound(timers, shop)).as("a scheduled pool").isFalse();
      assertThat(registry.figures())
          .extracting(ExecutorRegistry.Figures::name)
          .containsExactly(
              "shop.Reports.<init>(Reports.java:20)", "shop.Reports.<init>(Reports.java:20) #2");
      assertThat(registry.figures().get(0).createdAt())
          .isEqualTo("shop.Reports.<init>(Reports.java:20)");
      assertThat(registry.figures().get(0).threadPrefix())
          .as("declared by its factory")
          .isEqualTo("jobs-");
    } finally {
      second.shutdownNow();
      driver.shutdownNow();
      timers.shutdownNow();
    }
  }

  @Test
  void theBridgeNamesTheFrameBelowTheJdksConstructorsAndFactories() {
    List<StackTraceElement> seen = new java.util.ArrayList<>();
    java.util.function.BiConsumer<Object, StackTraceElement> sink = (p, site) -> seen.add(site);
    dev.nova.core.bridge.ExecutorBridge.install(sink);
    try {
      ThreadPoolExecutor made = madeHere();
      dev.nova.core.bridge.ExecutorBridge.created(made); // what the agent's advice calls
      made.shutdownNow();
    } finally {
      dev.nova.core.bridge.ExecutorBridge.uninstall(sink);
    }
    assertThat(seen).hasSize(1);
    // called from this test, not from inside the constructor: the frame below ThreadPoolExecutor
    // is absent, so the bridge says it does not know where
    assertThat(seen.get(0)).isNull();
  }

  private static ThreadPoolExecutor madeHere() {
    return (ThreadPoolExecutor) java.util.concurrent.Executors.newFixedThreadPool(1);
  }

  @Test
  void aPoolOfTheJdksShapeButNotItsClassIsReadByItsPublicMethods() {
    dev.nova.testing.ForkPool fork = new dev.nova.testing.ForkPool(1);
    try {
      StackTraceElement site =
          new StackTraceElement(
              "org.apache.tomcat.util.net.AbstractEndpoint", "createExecutor", "A.java", 7);
      assertThat(registry.registerFound(fork, site)).isTrue();
      assertThat(registry.registerFound(new Object(), site)).as("not of the shape").isFalse();
      fork.execute(jobs.holding());
      Poll.until("busy", WAIT, () -> fork.getActiveCount() == 1);
      fork.execute(jobs.holding());
      ExecutorRegistry.Figures f = registry.figures().get(0);
      assertThat(f.name())
          .isEqualTo("org.apache.tomcat.util.net.AbstractEndpoint.createExecutor(A.java:7)");
      assertThat(f.saturated()).isTrue();
      assertThat(f.queued()).isEqualTo(1);
      assertThat(f.workerClass()).isEqualTo(dev.nova.testing.ForkPool.class.getName());
      jobs.release();
      fork.shutdownNow();
      Poll.until("terminated", WAIT, fork::isTerminated);
      assertThat(registry.figures()).as("gone once terminated").isEmpty();
    } finally {
      fork.shutdownNow();
    }
  }

  @Test
  void aBusyWorkerRunsItsPoolsClassAndIsNotWaitingForATask() {
    String tomcat = "org.apache.tomcat.util.threads.ThreadPoolExecutor";
    StackTraceElement[] busy = {
      new StackTraceElement("java.util.concurrent.CountDownLatch", "await", "C.java", 1),
      new StackTraceElement("app.ShopServlets$Hold", "doGet", "S.java", 2),
      new StackTraceElement(tomcat, "runWorker", "T.java", 3),
      new StackTraceElement(tomcat + "$Worker", "run", "T.java", 4)
    };
    StackTraceElement[] idle = {
      new StackTraceElement("java.util.concurrent.LinkedBlockingQueue", "take", "L.java", 1),
      new StackTraceElement(tomcat, "getTask", "T.java", 2),
      new StackTraceElement(tomcat, "runWorker", "T.java", 3)
    };
    StackTraceElement[] other = {new StackTraceElement("app.Main", "main", "M.java", 1)};
    assertThat(ExecutorSaturationDetector.busyWorker(busy, tomcat)).isTrue();
    assertThat(ExecutorSaturationDetector.busyWorker(idle, tomcat)).isFalse();
    assertThat(ExecutorSaturationDetector.busyWorker(other, tomcat)).isFalse();
  }
}

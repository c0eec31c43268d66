package dev.nova.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.core.health.NovaHealth;
import dev.nova.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DetectorSchedulerTest {
  private final ManualClock clock = new ManualClock();
  private final NovaHealth health = new NovaHealth();
  private final DetectorScheduler scheduler = new DetectorScheduler(clock, health);

  private static Detector named(
      String name, java.util.function.Function<NovaClock, List<Finding>> f) {
    return new Detector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Finding> evaluate(NovaClock c) {
        return f.apply(c);
      }
    };
  }

  private static Finding finding(String code) {
    return new Finding(code, Severity.MEDIUM, "t", Evidence.empty(), List.of());
  }

  @Test
  void aThrowingDetectorIsCountedAndTheOthersStillRun() {
    AtomicInteger after = new AtomicInteger();
    scheduler.register(
        named(
            "broken",
            c -> {
              throw new IllegalStateException("boom");
            }));
    scheduler.register(
        named(
            "erroring",
            c -> {
              throw new StackOverflowError("deep");
            }));
    scheduler.register(
        named(
            "fine",
            c -> {
              after.incrementAndGet();
              return List.of(finding("SOME_CODE"));
            }));

    scheduler.runOnce();
    scheduler.runOnce();

    assertThat(after.get()).isEqualTo(2);
    assertThat(health.detectorFailures()).isEqualTo(4);
    assertThat(scheduler.findings()).extracting(Finding::code).containsExactly("SOME_CODE");
    DetectorScheduler.DetectorState broken = scheduler.states().get(0);
    assertThat(broken.failures()).isEqualTo(2);
    assertThat(broken.lastError()).contains("IllegalStateException: boom");
  }

  @Test
  void findingsOfAFailingRoundAreKeptUntilTheDetectorSucceedsAgain() {
    AtomicInteger round = new AtomicInteger();
    scheduler.register(
        named(
            "flaky",
            c -> {
              int r = round.incrementAndGet();
              if (r == 2) {
                throw new RuntimeException("transient");
              }
              return r == 1 ? List.of(finding("FIRST")) : List.of();
            }));
    scheduler.runOnce();
    assertThat(scheduler.findings()).extracting(Finding::code).containsExactly("FIRST");
    scheduler.runOnce();
    assertThat(scheduler.findings()).extracting(Finding::code).containsExactly("FIRST");
    scheduler.runOnce();
    assertThat(scheduler.findings()).isEmpty();
  }

  @Test
  void detectorsReadTheSchedulersClock() {
    List<Instant> seen = new ArrayList<>();
    scheduler.register(
        named(
            "timed",
            c -> {
              seen.add(c.now());
              return List.of();
            }));
    scheduler.runOnce();
    clock.advance(Duration.ofMinutes(5));
    scheduler.runOnce();
    assertThat(Duration.between(seen.get(0), seen.get(1))).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aDuplicateNameIsRefused() {
    scheduler.register(named("x", c -> List.of()));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> scheduler.register(named("x", c -> List.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void runsPeriodicallyOnOneNamedDaemonThreadAndSurvivesErrors() throws Exception {
    CountDownLatch rounds = new CountDownLatch(3);
    AtomicReference<Thread> thread = new AtomicReference<>();
    scheduler.register(
        named(
            "periodic",
            c -> {
              thread.set(Thread.currentThread());
              throw new RuntimeException("every time");
            }));
    // runs after "periodic" in every round, so its failure of that round is already counted
    scheduler.register(
        named(
            "witness",
            c -> {
              rounds.countDown();
              return List.of();
            }));
    scheduler.start(Duration.ofMillis(20));
    try {
      assertThat(rounds.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      scheduler.close();
    }
    assertThat(thread.get().getName()).isEqualTo("nova-detectors");
    assertThat(thread.get().isDaemon()).isTrue();
    assertThat(health.detectorFailures()).isGreaterThanOrEqualTo(3);
    assertThat(health.suppressedErrors()).isZero();
  }
}

package dev.nova.core.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.finding.Finding;
import dev.nova.core.health.NovaHealth;
import dev.nova.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The heap detector on points a test writes, with a clock the test drives. */
class HeapDetectorTest {
  static final long MB = 1024 * 1024;
  static final long MAX = 1024 * MB;
  static final long FIVE_MIN = Duration.ofMinutes(5).toNanos();

  private final ManualClock clock = new ManualClock();
  private final HeapMonitor monitor = new HeapMonitor(clock, new NovaHealth());
  private final AtomicLong gcMillis = new AtomicLong();
  private final GcShare gc = new GcShare(clock, gcMillis::get, Duration.ofMinutes(1).toNanos());
  private final HeapDetector detector =
      new HeapDetector(
          monitor,
          gc,
          Duration.ofMinutes(5),
          0.90,
          0.10,
          () -> MAX,
          null,
          null,
          dev.nova.core.diagnosis.Hold.DEFAULT);

  private void point(long usedMb, boolean major) {
    monitor.record(new HeapMonitor.Point(clock.nanoTime(), usedMb * MB, major, "test", 5));
  }

  private Optional<Finding> find(String code) {
    return detector.evaluate(clock).stream().filter(f -> f.code().equals(code)).findFirst();
  }

  @Test
  void aSteadilyRisingLiveSetIsGrowthWithSlopeAndTimeToExhaustion() {
    for (int i = 0; i < 30; i++) {
      point(200 + i * 10L, true); // 10 MB every 10 s after each full collection: 60 MB/min
      clock.advance(Duration.ofSeconds(10));
    }
    Finding f = find("HEAP_GROWTH").orElseThrow();
    assertThat(f.evidence().number("slopeMbPerMin").doubleValue()).isBetween(59.0, 61.0);
    // 490 MB live of 1024 MB, rising 60 MB/min: about 9 minutes left
    assertThat(f.evidence().number("projectedExhaustionMinutes").doubleValue())
        .isBetween(8.0, 10.0);
    // the same projection as a moment on the wall clock (what the page draws the trend to)
    java.time.Instant at =
        java.time.Instant.parse((String) f.evidence().get("projectedExhaustionAt"));
    assertThat(Duration.between(clock.now(), at).toSeconds()).isBetween(8L * 60, 10L * 60);
    assertThat(f.severity().name()).isEqualTo("CRITICAL");
    assertThat(f.actions()).contains("heap-dump");
  }

  @Test
  void garbageChurnWithoutRetentionRaisesNothing() {
    for (int i = 0; i < 60; i++) {
      point(i % 2 == 0 ? 300 : 320, i % 5 == 0); // a sawtooth around a flat live set
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(detector.evaluate(clock)).isEmpty();
  }

  @Test
  void youngCollectionsAloneNeedAnOverwhelmingTrend() {
    for (int i = 0; i < 30; i++) {
      // the old generation filling between its collections, then emptied: a healthy sawtooth
      point(200 + (i % 6) * 50L, false);
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(find("HEAP_GROWTH")).isEmpty();
    for (int i = 0; i < 30; i++) {
      point(600 + i * 10L, false); // every point higher than the last
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(find("HEAP_GROWTH")).isPresent();
  }

  @Test
  void aJvmWarmingUpIsNotGrowth() {
    for (int i = 0; i < 30; i++) {
      point(9 + i, false); // 9 MB to 38 MB of 1024 MB, young collections only: start-up
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(find("HEAP_GROWTH")).isEmpty();
  }

  @Test
  void nothingIsSaidBeforeHalfTheWindowHasBeenSeen() {
    for (int i = 0; i < 10; i++) {
      point(200 + i * 50L, true);
      clock.advance(Duration.ofSeconds(10)); // 100 s of a 5 min window
    }
    assertThat(find("HEAP_GROWTH")).isEmpty();
  }

  @Test
  void growthIsSuspectedEarlyAndLooselyButNotOnAFlatSawtooth() {
    for (int i = 0; i < 3; i++) {
      point(200 + i * 10L, true); // 20 s seen of a 5 min window: no finding yet, but suspected
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(HeapDetector.suspected(monitor.since(Long.MAX_VALUE / 2), MAX, FIVE_MIN)).isTrue();
    assertThat(find("HEAP_GROWTH")).isEmpty();

    HeapMonitor flat = new HeapMonitor(clock, new NovaHealth());
    for (int i = 0; i < 60; i++) {
      flat.record(
          new HeapMonitor.Point(
              clock.nanoTime(), (i % 2 == 0 ? 300 : 320) * MB, i % 5 == 0, "test", 5));
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(HeapDetector.suspected(flat.since(Long.MAX_VALUE / 2), MAX, FIVE_MIN)).isFalse();
    HeapMonitor slow = new HeapMonitor(clock, new NovaHealth());
    for (int i = 0; i < 30; i++) {
      // 1 MB in five minutes of a 1 GB heap: below half the finding's rate
      slow.record(new HeapMonitor.Point(clock.nanoTime(), 300 * MB + i * 36_000L, true, "t", 5));
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(HeapDetector.suspected(slow.since(Long.MAX_VALUE / 2), MAX, FIVE_MIN)).isFalse();
    HeapMonitor warming = new HeapMonitor(clock, new NovaHealth());
    for (int i = 0; i < 30; i++) {
      // 9 MB to 38 MB, young collections only: a JVM starting, not a suspect
      warming.record(new HeapMonitor.Point(clock.nanoTime(), (9 + i) * MB, false, "t", 5));
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(HeapDetector.suspected(warming.since(Long.MAX_VALUE / 2), MAX, FIVE_MIN)).isFalse();
    HeapMonitor quick = new HeapMonitor(clock, new NovaHealth());
    for (int i = 0; i < 5; i++) {
      // five full collections within two seconds: too little of the window to say anything
      quick.record(new HeapMonitor.Point(clock.nanoTime(), (300 + i * 50) * MB, true, "t", 5));
      clock.advance(Duration.ofMillis(400));
    }
    assertThat(HeapDetector.suspected(quick.since(Long.MAX_VALUE / 2), MAX, FIVE_MIN)).isFalse();
  }

  @Test
  void oldObjectSamplingRunsWhileGrowthIsSuspectedAndStopsWhenItIsNot() {
    NovaHealth health = new NovaHealth();
    try (LeakCandidates leaks = new LeakCandidates(clock, health)) {
      HeapDetector withLeaks =
          new HeapDetector(
              monitor,
              gc,
              Duration.ofMinutes(5),
              0.90,
              0.10,
              () -> MAX,
              null,
              leaks,
              dev.nova.core.diagnosis.Hold.DEFAULT);
      leaks.start(true);
      assertThat(leaks.status()).startsWith("armed: jdk.OldObjectSample");
      for (int i = 0; i < 6; i++) {
        point(300, i % 3 == 0); // flat: nothing to sample
        clock.advance(Duration.ofSeconds(10));
        withLeaks.evaluate(clock);
      }
      assertThat(leaks.sampling()).isFalse();
      for (int i = 0; i < 6; i++) {
        point(310 + i * 20L, true); // rising
        clock.advance(Duration.ofSeconds(10));
        withLeaks.evaluate(clock);
      }
      assertThat(leaks.sampling()).isTrue();
      assertThat(leaks.status()).startsWith("on: jdk.OldObjectSample");
      // the live set stops rising; the window fills with flat points; after IDLE sampling stops
      long deadline = clock.nanoTime() + Duration.ofMinutes(20).toNanos();
      while (leaks.sampling() && clock.nanoTime() < deadline) {
        point(420, true);
        clock.advance(Duration.ofSeconds(10));
        withLeaks.evaluate(clock);
      }
      assertThat(leaks.sampling()).isFalse();
      assertThat(leaks.status()).startsWith("armed: jdk.OldObjectSample");
      // self-protection stops it at once and keeps it off until resumed
      leaks.suspect();
      assertThat(leaks.sampling()).isTrue();
      leaks.shed();
      assertThat(leaks.sampling()).isFalse();
      leaks.suspect();
      assertThat(leaks.sampling()).isFalse();
      leaks.resume();
      leaks.suspect();
      assertThat(leaks.sampling()).isTrue();
      assertThat(health.errors()).isZero();
    }
  }

  @Test
  void pressureIsRaisedAboveTheThresholdAndHeldThirtySecondsAfterItClears() {
    point(950, true);
    Finding f = find("HEAP_PRESSURE").orElseThrow();
    assertThat(f.severity().name()).isEqualTo("HIGH");
    assertThat(f.evidence().number("share").doubleValue()).isEqualTo(0.928);
    clock.advance(Duration.ofSeconds(5));
    point(400, true);
    assertThat(find("HEAP_PRESSURE")).isPresent();
    clock.advance(Duration.ofSeconds(31));
    assertThat(find("HEAP_PRESSURE")).isEmpty();
    point(1000, true);
    assertThat(find("HEAP_PRESSURE").orElseThrow().severity().name()).isEqualTo("CRITICAL");
  }

  @Test
  void findingsHoldIsAnOption() {
    HeapDetector shortHold =
        new HeapDetector(
            monitor,
            gc,
            Duration.ofMinutes(5),
            0.90,
            0.10,
            () -> MAX,
            null,
            null,
            dev.nova.core.config.NovaConfig.fromAgentArgument("findings.hold=5s")
                .get(dev.nova.core.config.Options.FINDINGS_HOLD));
    point(950, true);
    assertThat(shortHold.evaluate(clock)).extracting(Finding::code).contains("HEAP_PRESSURE");
    clock.advance(Duration.ofSeconds(1));
    point(400, true);
    assertThat(shortHold.evaluate(clock)).extracting(Finding::code).contains("HEAP_PRESSURE");
    clock.advance(Duration.ofSeconds(5));
    assertThat(shortHold.evaluate(clock)).extracting(Finding::code).doesNotContain("HEAP_PRESSURE");
  }

  @Test
  void oneFullCollectionInTheFirstSecondIsNotGcPressure() {
    detector.evaluate(clock);
    clock.advance(Duration.ofSeconds(1));
    gcMillis.addAndGet(120); // a System.gc() on a loaded machine: 12% of that second
    assertThat(find("GC_PRESSURE")).isEmpty();
    for (int i = 0; i < 9; i++) {
      clock.advance(Duration.ofSeconds(1));
      gcMillis.addAndGet(120); // and every second after: 12% of ten seconds is pressure
      if (i < 8) {
        assertThat(find("GC_PRESSURE")).isEmpty();
      }
    }
    assertThat(find("GC_PRESSURE")).isPresent();
  }

  @Test
  void gcTakingAThirdOfWallTimeIsHighGcPressure() {
    detector.evaluate(clock);
    clock.advance(Duration.ofSeconds(10));
    gcMillis.addAndGet(3_000);
    Finding f = find("GC_PRESSURE").orElseThrow();
    assertThat(f.evidence().number("gcShare").doubleValue()).isEqualTo(0.3);
    assertThat(f.severity().name()).isEqualTo("HIGH");
    clock.advance(Duration.ofSeconds(60));
    detector.evaluate(clock);
    clock.advance(Duration.ofSeconds(31));
    assertThat(find("GC_PRESSURE")).isEmpty();
  }

  @Test
  void theTrendIsRobustToOneOutlier() {
    long[] t = {0, 1, 2, 3, 4, 5, 6};
    long[] v = {10, 20, 30, 1_000, 50, 60, 70};
    Trend trend = Trend.of(t, v);
    assertThat(trend.slopePerNano()).isEqualTo(10.0);
    assertThat(Trend.of(new long[] {1}, new long[] {1}).slopePerNano()).isZero();
  }

  @Test
  void pointsAreBounded() {
    for (int i = 0; i < 5_000; i++) {
      point(100, false);
    }
    assertThat(monitor.size()).isEqualTo(HeapMonitor.MAX_POINTS);
    assertThat(List.of(monitor.since(Long.MAX_VALUE / 2).size()))
        .containsExactly(HeapMonitor.MAX_POINTS);
  }
}

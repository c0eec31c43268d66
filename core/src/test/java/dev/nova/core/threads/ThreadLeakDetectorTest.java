package dev.nova.core.threads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.health.NovaHealth;
import dev.nova.core.jvm.JfrStream;
import dev.nova.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The thread-leak rule on samples a test writes: {time, live, startedTotal}. */
class ThreadLeakDetectorTest {
  final NovaHealth health = new NovaHealth();
  final ThreadLeakDetector detector =
      new ThreadLeakDetector(
          new ThreadMonitor(new ManualClock(), health, new JfrStream(health)),
          Duration.ofSeconds(60),
          dev.nova.core.diagnosis.Hold.DEFAULT);

  static List<long[]> samples(java.util.function.IntUnaryOperator liveAt) {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i <= 30; i++) {
      out.add(new long[] {i * 2_000_000_000L, liveAt.applyAsInt(i), 100 + i});
    }
    return out;
  }

  @Test
  void aServiceStartingItsPoolsIsNotALeak() {
    // 13 threads, then 40 within the first seconds, then flat: pools starting
    assertThat(detector.leak(samples(i -> i < 4 ? 13 + i * 9 : 40))).isNull();
  }

  ThreadLeakDetector detector(Duration window) {
    NovaHealth own = new NovaHealth();
    return new ThreadLeakDetector(
        new ThreadMonitor(new ManualClock(), own, new JfrStream(own)),
        window,
        dev.nova.core.diagnosis.Hold.DEFAULT);
  }

  /** Feeds {@code rounds} rounds 500 ms apart to a fresh detector: the rounds it raises in. */
  List<Integer> raisedIn(
      Duration window, int rounds, java.util.function.IntUnaryOperator liveAt, boolean settle) {
    ThreadLeakDetector d = detector(window);
    java.util.ArrayDeque<long[]> all = new java.util.ArrayDeque<>();
    List<Integer> raised = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long at = i * 500_000_000L;
      all.addLast(new long[] {at, liveAt.applyAsInt(i), i});
      while (all.peekFirst()[0] < at - window.toNanos()) {
        all.removeFirst();
      }
      List<long[]> inWindow = new ArrayList<>(all);
      if ((settle ? d.judge(inWindow) : d.leak(inWindow)) != null) {
        raised.add(i);
      }
    }
    return raised;
  }

  /** A service starting on a loaded machine, as the sample service did under CI (11 to 37). */
  static int slowStart(int round) {
    int live = 11 + Math.min(round, 4) * 3; // the agent, then the pools, over two seconds
    if (round >= 7) {
      live += Math.min(round - 7, 4) * 3; // a pause, then event loops and the schema's threads
    }
    if (round >= 18) {
      live += 3; // JFR's two threads and nova-incident, after jfr.delay
    }
    if (round >= 22) {
      live += 2; // event loops started by the load's first connections
    }
    if (round >= 26) {
      live += 2;
    }
    return live;
  }

  @Test
  void aStartSpreadOverRoundsIsNotALeak() {
    Duration window = Duration.ofSeconds(10);
    // the window alone reads the start as a climb still rising in its second half
    assertThat(raisedIn(window, 60, ThreadLeakDetectorTest::slowStart, false)).isNotEmpty();
    assertThat(raisedIn(window, 60, ThreadLeakDetectorTest::slowStart, true)).isEmpty();
  }

  @Test
  void aLeakAfterTheStartIsSeen() {
    Duration window = Duration.ofSeconds(10);
    List<Integer> raised =
        raisedIn(
            window, 80, i -> slowStart(i) + (i >= 40 ? (i - 40) * 5 : 0), true); // a leak at 20 s
    assertThat(raised).isNotEmpty();
    assertThat(raised.get(0)).isBetween(41, 50); // within half a window of its start
  }

  @Test
  void aLeakFromTheFirstSecondIsSeenOnceTheWindowNoLongerReachesTheStart() {
    Duration window = Duration.ofSeconds(10);
    List<Integer> raised = raisedIn(window, 40, i -> 11 + i * 5, true);
    assertThat(raised).isNotEmpty();
    assertThat(raised.get(0)).isEqualTo(20); // 10 s: the window's length after the first round
  }

  @Test
  void threadsThatKeepComingAreALeak() {
    var f = detector.leak(samples(i -> 20 + i * 5));
    assertThat(f).isNotNull();
    assertThat(f.code()).isEqualTo("THREAD_LEAK");
    assertThat(f.evidence().get("liveNow")).isEqualTo(170L);
  }

  @Test
  void aPoolThatGrowsAndShrinksIsNotALeak() {
    assertThat(detector.leak(samples(i -> 20 + (i % 6) * 4))).isNull();
  }
}

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

package dev.nova.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcquireTimesTest {
  private static final long MS = 1_000_000L;

  @Test
  void tenAcquiresReportTheirRealTimesNotABucketEdge() {
    PoolRegistry.AcquireTimes t = new PoolRegistry.AcquireTimes();
    // a young pool: the first borrows wait for physical connections, 600 to 1,000 ms
    long[] ms = {1000, 640, 600, 700, 880, 660, 940, 720, 800, 760};
    for (long m : ms) {
      t.record(m * MS);
    }
    assertThat(t.count()).isEqualTo(10);
    assertThat(t.quantileMs(0.5)).isEqualTo(720.0);
    assertThat(t.quantileMs(0.95)).isEqualTo(1000.0);
    assertThat(t.quantileMs(0.99)).isEqualTo(1000.0);
  }

  @Test
  void manyAcquiresInterpolateInsideTheirBucketAndNeverPassTheSlowest() {
    PoolRegistry.AcquireTimes t = new PoolRegistry.AcquireTimes();
    for (int i = 0; i < 1_000; i++) {
      t.record(700 * MS); // every one in the bucket [524.288 ms, 1048.576 ms)
    }
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      assertThat(t.quantileMs(q)).isGreaterThan(524.288).isLessThanOrEqualTo(700.0);
    }
    assertThat(t.quantileMs(0.5)).isLessThan(t.quantileMs(0.99));
  }

  @Test
  void percentilesRiseWithTheirRankPastTheExactSamples() {
    PoolRegistry.AcquireTimes t = new PoolRegistry.AcquireTimes();
    for (int i = 0; i < 990; i++) {
      t.record(MS / 10); // 0.1 ms
    }
    for (int i = 0; i < 10; i++) {
      t.record(3_000 * MS); // 1% waited 3 s for a connection
    }
    assertThat(t.quantileMs(0.5)).isLessThan(0.2);
    assertThat(t.quantileMs(0.95)).isLessThan(0.2);
    assertThat(t.quantileMs(0.999)).isGreaterThan(2_097.152).isLessThanOrEqualTo(3_000.0);
  }

  @Test
  void noAcquiresAreZero() {
    assertThat(new PoolRegistry.AcquireTimes().quantileMs(0.95)).isZero();
  }
}

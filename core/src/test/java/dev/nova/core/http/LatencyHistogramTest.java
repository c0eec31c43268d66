package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  private static final long MS = 1_000_000L;

  @Test
  void aFewRequestsReportTheirRealLatencies() {
    LatencyHistogram h = new LatencyHistogram();
    for (long m : new long[] {3, 4, 30, 31, 33, 35, 40, 41, 44, 120}) {
      h.add(m * MS);
    }
    assertThat(h.quantileMs(0.5)).isEqualTo(33.0);
    assertThat(h.quantileMs(0.95)).isEqualTo(120.0);
    assertThat(h.quantileMs(0.99)).isEqualTo(120.0);
  }

  @Test
  void slicesMergedStayExactWhileTheyHoldFewRequests() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int i = 1; i <= 6; i++) {
      a.add(i * 10 * MS);
      b.add(i * 100 * MS);
    }
    LatencyHistogram window = new LatencyHistogram();
    window.addAll(a);
    window.addAll(b);
    assertThat(window.total).isEqualTo(12);
    assertThat(window.quantileMs(0.5)).isEqualTo(60.0);
    assertThat(window.quantileMs(0.75)).isEqualTo(300.0);
    assertThat(window.quantileMs(0.99)).isEqualTo(600.0);
  }

  @Test
  void manyRequestsInterpolateAndNeverPassTheSlowest() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 1_000; i++) {
      h.add(3 * MS); // bucket (2 ms, 5 ms]
    }
    assertThat(h.quantileMs(0.5)).isGreaterThan(2.0).isLessThanOrEqualTo(3.0);
    assertThat(h.quantileMs(0.99)).isGreaterThan(h.quantileMs(0.5)).isLessThanOrEqualTo(3.0);
    LatencyHistogram merged = new LatencyHistogram();
    merged.addAll(h);
    merged.addAll(h);
    assertThat(merged.total).isEqualTo(2_000);
    assertThat(merged.quantileMs(0.99)).isEqualTo(h.quantileMs(0.99));
  }

  @Test
  void noRequestsAreZero() {
    assertThat(new LatencyHistogram().quantileMs(0.95)).isZero();
  }
}

package dev.nova.core.heap;

import static org.assertj.core.api.Assertions.assertThat;

import app.Culprits;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.jvm.JfrStream;
import dev.nova.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Allocation samples and old-object snapshots from JFR in this very JVM. */
class JfrMemoryTest {

  @Test
  void oldObjectSnapshotPointsAtTheRetainedTypeAndTheFrameThatAllocatedIt() throws Exception {
    NovaHealth health = new NovaHealth();
    List<Object> keep = new ArrayList<>();
    ManualClock clock = new ManualClock();
    try (LeakCandidates leaks = new LeakCandidates(clock, health)) {
      leaks.start(true);
      assertThat(leaks.status()).startsWith("armed: jdk.OldObjectSample");
      assertThat(leaks.candidates(Duration.ofMinutes(5).toNanos())).isEmpty();
      leaks.suspect(); // what the heap detector does when the live set looks like rising
      assertThat(leaks.status()).startsWith("on: jdk.OldObjectSample");
      List<LeakCandidates.Candidate> found = List.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        Culprits.hoard(keep, 2_000); // 32 MB more each round
        System.gc();
        clock.advance(LeakCandidates.MIN_INTERVAL); // past the rate limit: a fresh snapshot
        found = leaks.candidates(Duration.ofMinutes(5).toNanos());
        if (found.stream().anyMatch(c -> c.allocatedAt().contains("Culprits.hoard("))) {
          break;
        }
      }
      LeakCandidates.Candidate c =
          found.stream()
              .filter(x -> x.allocatedAt().contains("Culprits.hoard("))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no candidate at Culprits.hoard"));
      assertThat(c.allocatedAt()).startsWith("app.Culprits.hoard(Culprits.java:");
      assertThat(c.type()).isIn("byte[]", "app.Culprits$Hoarded");
      assertThat(c.samples()).isPositive();
      assertThat(c.stack()).isNotEmpty().allMatch(f -> f.matches(".+\\(.+\\.java(:\\d+)?\\)"));
      assertThat(health.errors()).isZero();
    }
    assertThat(keep).isNotEmpty(); // kept reachable until the snapshot was read
  }

  @Test
  void allocationSamplesNameTheHotSpotAndTheRateIsMeasured() throws Exception {
    NovaHealth health = new NovaHealth();
    try (JfrStream jfr = new JfrStream(health)) {
      AllocationMonitor m =
          new AllocationMonitor(NovaClock.SYSTEM, health, jfr, Duration.ofMinutes(1).toNanos());
      jfr.start(true);
      assertThat(jfr.running()).as("no part wants events yet: no stream").isFalse();
      assertThat(m.snapshot().get("allocationSampling")).isEqualTo(AllocationMonitor.IDLE_STATUS);
      m.demand(true); // what the heap detector does while growth or GC pressure is suspected
      assertThat(jfr.status()).contains("jdk.ObjectAllocationSample");
      assertThat(jfr.awaitStreaming(Duration.ofSeconds(20))).isTrue();
      m.sample();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Map<String, Object> snap = Map.of();
      while (System.nanoTime() < deadline) {
        Culprits.churn(200_000); // about 800 MB
        m.sample();
        snap = m.snapshot();
        if (snap.get("topAllocations") instanceof List<?> top
            && !top.isEmpty()
            && String.valueOf(top.get(0)).contains("app.Culprits.churn(")) {
          break;
        }
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> top = (List<Map<String, Object>>) snap.get("topAllocations");
      assertThat(top).isNotEmpty();
      assertThat((String) top.get(0).get("allocation"))
          .startsWith("long[] at app.Culprits.churn(Culprits.java:");
      assertThat((Double) snap.get("allocationMbPerSecond")).isPositive();

      m.shed();
      assertThat(m.snapshot().get("allocationSampling")).isEqualTo("shed (self-protection)");
      assertThat(jfr.running()).as("the only part shed: the stream is closed").isFalse();
      m.resume();
      m.demand(true);
      assertThat(jfr.running()).isTrue();
      assertThat(m.snapshot()).containsKey("topAllocations");
      assertThat(health.errors()).isZero();
    }
  }

  @Test
  void jvmDescriptorsAreWrittenAsInSource() {
    assertThat(LeakCandidates.readable("[B")).isEqualTo("byte[]");
    assertThat(LeakCandidates.readable("[[J")).isEqualTo("long[][]");
    assertThat(LeakCandidates.readable("[Ljava.lang.String;")).isEqualTo("java.lang.String[]");
    assertThat(LeakCandidates.readable("java.util.HashMap")).isEqualTo("java.util.HashMap");
  }
}

package dev.nova.core.protection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.health.NovaHealth;
import dev.nova.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfProtectionTest {

  @Test
  void shedsAbove95PercentAndResumesOnlyBelow75() {
    double[] share = {0.5};
    List<String> calls = new ArrayList<>();
    NovaHealth health = new NovaHealth();
    SelfProtection p = new SelfProtection(() -> share[0], health);
    p.add("sampling", () -> calls.add("shed"), () -> calls.add("resume"));
    p.add(
        "broken",
        () -> {
          throw new IllegalStateException("boom");
        },
        () -> {});
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    p.bindTo(registry);
    ManualClock clock = new ManualClock();

    assertThat(p.evaluate(clock)).isEmpty();
    assertThat(p.shedding()).isFalse();
    share[0] = 0.96;
    p.evaluate(clock);
    assertThat(p.shedding()).isTrue();
    assertThat(registry.get("nova.agent.shedding").gauge().value()).isEqualTo(1.0);
    assertThat(p.snapshot()).containsEntry("shedding", true).containsKey("since");
    assertThat(health.suppressedErrors()).isEqualTo(1); // the broken part, not thrown
    share[0] = 0.80; // between the marks: stays shed, no flapping
    p.evaluate(clock);
    share[0] = 0.97;
    p.evaluate(clock);
    assertThat(calls).containsExactly("shed");
    share[0] = 0.70;
    p.evaluate(clock);
    assertThat(p.shedding()).isFalse();
    assertThat(calls).containsExactly("shed", "resume");
    assertThat(registry.get("nova.agent.shedding").gauge().value()).isEqualTo(0.0);
    assertThat(p.snapshot()).containsEntry("timesShed", 1L);
    share[0] = -1; // unknown: no change
    p.evaluate(clock);
    assertThat(p.shedding()).isFalse();
  }

  @Test
  void shedsOnlyOnSustainedCpuAndResumesOnlyAfterItHasBeenCalm() {
    double[] cpu = {0.99};
    List<String> calls = new ArrayList<>();
    SelfProtection p = new SelfProtection(() -> 0.3, () -> cpu[0], new NovaHealth());
    p.add("sampling", () -> calls.add("shed"), () -> calls.add("resume"));
    ManualClock clock = new ManualClock();
    for (int s = 0; s < 30; s += 2) {
      p.evaluate(clock); // busy for 0..28 s: not yet
      clock.advance(java.time.Duration.ofSeconds(2));
    }
    assertThat(p.shedding()).isFalse();
    cpu[0] = 0.5; // one calm moment starts the count again
    p.evaluate(clock);
    cpu[0] = 0.99;
    for (int s = 0; s <= 30; s += 2) {
      p.evaluate(clock);
      clock.advance(java.time.Duration.ofSeconds(2));
    }
    assertThat(p.shedding()).isTrue();
    assertThat(p.snapshot())
        .containsEntry("because", List.of("cpu"))
        .containsEntry("cpuLoad", 0.99);
    cpu[0] = 0.80; // between the marks: stays shed
    p.evaluate(clock);
    cpu[0] = 0.40;
    for (int s = 0; s < 30; s += 2) {
      p.evaluate(clock); // calm for 0..28 s: still shed
      clock.advance(java.time.Duration.ofSeconds(2));
    }
    assertThat(p.shedding()).isTrue();
    p.evaluate(clock); // 30 s calm
    assertThat(p.shedding()).isFalse();
    assertThat(calls).containsExactly("shed", "resume");
  }

  @Test
  void heapAndCpuPressureEachKeepItShed() {
    double[] heap = {0.96};
    double[] cpu = {0.99};
    SelfProtection p = new SelfProtection(() -> heap[0], () -> cpu[0], new NovaHealth());
    ManualClock clock = new ManualClock();
    p.evaluate(clock);
    assertThat(p.snapshot()).containsEntry("because", List.of("heap"));
    clock.advance(SelfProtection.CPU_SUSTAIN);
    p.evaluate(clock);
    assertThat(p.snapshot()).containsEntry("because", List.of("heap", "cpu"));
    heap[0] = 0.5; // the heap is fine again, the CPU is not
    p.evaluate(clock);
    assertThat(p.shedding()).isTrue();
    assertThat(p.snapshot()).containsEntry("because", List.of("cpu"));
    cpu[0] = 0.1;
    p.evaluate(clock);
    clock.advance(SelfProtection.CPU_CALM);
    p.evaluate(clock);
    assertThat(p.shedding()).isFalse();
    assertThat(p.snapshot()).containsEntry("timesShed", 1L);
  }

  @Test
  void novasOwnCpuOverItsBudgetShedsOnlyWhenSustainedAndResumesBelowHalf() {
    NovaHealth health = new NovaHealth();
    ManualClock clock = new ManualClock();
    SelfProtection p = new SelfProtection(() -> 0.3, () -> 0.2, health);
    p.watchOwnCpu(new NovaCpu(clock, health, 0.05));
    List<String> calls = new ArrayList<>();
    p.add("sampling", () -> calls.add("shed"), () -> calls.add("resume"));
    for (int s = 0; s < 30; s += 2) {
      p.update(0.3, 0.2, 0.08, clock); // over budget for 0..28 s: not yet
      clock.advance(java.time.Duration.ofSeconds(2));
    }
    assertThat(p.shedding()).isFalse();
    p.update(0.3, 0.2, 0.08, clock);
    assertThat(p.shedding()).isTrue();
    assertThat(p.snapshot())
        .containsEntry("because", List.of("nova cpu over budget"))
        .containsEntry("ownCpuShare", 0.08);
    assertThat((String) p.snapshot().get("ownCpuRule")).contains("5.0% of one core");
    p.update(0.3, 0.2, 0.04, clock); // under budget but not under half: stays shed
    clock.advance(SelfProtection.CPU_CALM);
    p.update(0.3, 0.2, 0.04, clock);
    assertThat(p.shedding()).isTrue();
    p.update(0.3, 0.2, 0.01, clock);
    clock.advance(SelfProtection.CPU_CALM);
    p.update(0.3, 0.2, 0.01, clock);
    assertThat(p.shedding()).isFalse();
    assertThat(calls).containsExactly("shed", "resume");
  }

  @Test
  void theJvmsCpuReadingIsAShareOrUnknown() {
    java.util.function.DoubleSupplier load = SelfProtection.jvmCpuLoad();
    load.getAsDouble(); // the first reading may have nothing to compare with
    long x = 0;
    for (int i = 0; i < 5_000_000; i++) {
      x += i ^ (x >>> 3); // some CPU to measure
    }
    double second = load.getAsDouble();
    assertThat(second).as("after " + x).isBetween(0.0, 1.0);
  }
}

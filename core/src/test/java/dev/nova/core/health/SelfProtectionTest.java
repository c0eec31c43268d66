package dev.nova.core.health;

import static org.assertj.core.api.Assertions.assertThat;

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
}

package dev.nova.core.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.Nova;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each JFR recording can be left out on its own, and the report says which. */
class JfrOptionsTest {
  @Test
  void allocationSamplesAndOldObjectsCanBeTurnedOffAlone() {
    try (Nova nova =
        Nova.builder()
            .option("port", "0")
            .option("jfr.allocations", "false")
            .option("jfr.oldObjects", "false")
            .option("jfr.delay", "0s")
            .start()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> heap = (Map<String, Object>) nova.report().signals().get("heap");
      assertThat((String) heap.get("allocationSampling")).startsWith("off (jfr.allocations=false");
      assertThat((String) heap.get("leakCandidates")).startsWith("off (");
      @SuppressWarnings("unchecked")
      Map<String, Object> threads = (Map<String, Object>) nova.report().signals().get("threads");
      assertThat((String) threads.get("creationSites")).startsWith("on: jdk.ThreadStart");
      assertThat(nova.health().errors()).isZero();
    }
  }

  @Test
  void byDefaultJfrWaitsOutTheHostsStartUpAndSaysSo() {
    try (Nova nova = Nova.builder().option("port", "0").start()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> threads = (Map<String, Object>) nova.report().signals().get("threads");
      assertThat((String) threads.get("creationSites"))
          .startsWith("waiting: starts 10s after Nova (jfr.delay)");
      assertThat(Thread.getAllStackTraces().keySet())
          .as("no JFR thread of Nova's yet")
          .noneMatch(t -> t.getName().equals("nova-jfr"));
    }
  }
}

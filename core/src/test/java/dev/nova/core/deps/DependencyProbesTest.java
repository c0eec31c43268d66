package dev.nova.core.deps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import dev.nova.core.health.NovaHealth;
import dev.nova.testing.ManualClock;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Real TCP connects: a listening port is up, a closed one is refused, bad entries reported. */
class DependencyProbesTest {

  @Test
  void refusedDependenciesAreUnreachableAfterTwoFailuresAndTheDatabaseIsCritical()
      throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // free now: nothing listens there
    }
    try (ServerSocket up = new ServerSocket(0)) {
      ManualClock clock = new ManualClock();
      DependencyProbes p =
          new DependencyProbes(
              clock,
              new NovaHealth(),
              "redis:127.0.0.1:"
                  + up.getLocalPort()
                  + ";rtmp:127.0.0.1:"
                  + closedPort
                  + ";broken;x:y:notaport",
              Duration.ofSeconds(30),
              () -> Set.of("127.0.0.1:" + closedPort),
              dev.nova.core.diagnosis.Hold.DEFAULT);
      assertThat(p.problems()).hasSize(2).allMatch(m -> m.contains("is not name:host:port"));
      p.probeAllNow();
      assertThat(p.evaluate(clock)).isEmpty(); // one failure is not yet a finding
      p.probeAllNow();
      List<Finding> fs = p.evaluate(clock);
      assertThat(fs).hasSize(1);
      Finding f = fs.get(0);
      assertThat(f.code()).isEqualTo("DEPENDENCY_UNREACHABLE");
      assertThat(f.evidence().get("unreachable").toString())
          .contains("connection refused")
          .contains("127.0.0.1:" + closedPort)
          .doesNotContain(":" + up.getLocalPort());
      Map<String, Object> snap = p.snapshot();
      assertThat(snap.get("targets").toString()).contains("state=up").contains("state=down");

      // the same host:port from the deps option and the JDBC URL is probed once, as "rtmp"
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
    }
  }

  @Test
  void aDatabaseHostFromAJdbcUrlIsFoundAndItsFailureIsCritical() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ManualClock clock = new ManualClock();
    DependencyProbes p =
        new DependencyProbes(
            clock,
            new NovaHealth(),
            null,
            Duration.ofSeconds(30),
            () -> Set.of("127.0.0.1:" + closedPort),
            dev.nova.core.diagnosis.Hold.DEFAULT);
    p.probeAllNow();
    p.probeAllNow();
    Finding f = p.evaluate(clock).get(0);
    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.title()).contains("database at 127.0.0.1:" + closedPort);
  }
}

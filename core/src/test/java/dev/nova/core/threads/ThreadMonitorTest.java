package dev.nova.core.threads;

import static org.assertj.core.api.Assertions.assertThat;

import app.Culprits;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.jvm.JfrStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The JFR side of the thread monitor in this very JVM. */
class ThreadMonitorTest {

  @Test
  void recordsWhereThreadsStartAndNeverKeepsTheJvmAlive() throws Exception {
    NovaHealth health = new NovaHealth();
    CountDownLatch release = new CountDownLatch(1);
    try (JfrStream jfr = new JfrStream(health)) {
      ThreadMonitor m = new ThreadMonitor(NovaClock.SYSTEM, health, jfr);
      jfr.start(true); // from this non-daemon test thread, as a library start would
      assertThat(m.jfrStatus()).startsWith("on");
      List<Thread> jfrThreads =
          Thread.getAllStackTraces().keySet().stream()
              .filter(
                  t -> t.getName().startsWith("JFR Event Stream") || t.getName().equals("nova-jfr"))
              .toList();
      assertThat(jfrThreads).isNotEmpty().allMatch(Thread::isDaemon);

      assertThat(jfr.awaitStreaming(java.time.Duration.ofSeconds(20))).isTrue();
      Culprits.startParked(release, 4);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      List<java.util.Map.Entry<ThreadMonitor.Site, Integer>> sites = List.of();
      while (System.nanoTime() < deadline) {
        sites = m.liveBySite();
        if (!sites.isEmpty() && sites.get(0).getValue() == 4) {
          break;
        }
        Thread.sleep(50); // JFR delivers its events about once a second
      }
      assertThat(sites).isNotEmpty();
      assertThat(sites.get(0).getKey().key()).startsWith("app.Culprits.startParked(Culprits.java:");
      assertThat(sites.get(0).getValue()).isEqualTo(4);
      assertThat(health.errors()).isZero();
    } finally {
      release.countDown();
    }
  }

  @Test
  void foldsDigitsInThreadNames() {
    assertThat(ThreadMonitor.fold("pool-3-thread-12")).isEqualTo("pool-{n}-thread-{n}");
    assertThat(ThreadMonitor.fold("main")).isEqualTo("main");
  }
}

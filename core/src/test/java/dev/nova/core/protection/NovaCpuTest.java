package dev.nova.core.protection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Nova's own CPU, read from real threads of this JVM: only those named as Nova's count. */
class NovaCpuTest {

  /** Keeps one core busy until {@code stop}; the loop is the work being measured. */
  private static Thread burner(String name, CountDownLatch stop) {
    Thread t =
        new Thread(
            () -> {
              long x = 0;
              while (stop.getCount() > 0) {
                for (int i = 0; i < 100_000; i++) {
                  x += i ^ (x >>> 3);
                }
              }
              if (x == 42) {
                System.out.print(""); // keeps the loop from being removed
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Samples every 10 ms for {@code millis} of wall time, as the detector rounds do (slower): the
   * share is read over the samples kept (at most {@link NovaCpu#MAX_SAMPLES}), and samples taken in
   * a spin would keep only the last few microseconds, in which a busy thread on a loaded machine
   * may not have run at all.
   */
  private static void sampleFor(NovaCpu cpu, long millis) {
    long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
    while (System.nanoTime() < end) {
      cpu.sample();
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    cpu.sample();
  }

  @Test
  void countsNovasThreadsAndNotTheHosts() throws Exception {
    NovaHealth health = new NovaHealth();
    NovaCpu cpu = new NovaCpu(NovaClock.SYSTEM, health, 0.05);
    CountDownLatch stopHost = new CountDownLatch(1);
    Thread host = burner("host-worker", stopHost);
    cpu.sample();
    sampleFor(cpu, 600);
    double hostOnly = cpu.share(Duration.ofSeconds(10));
    stopHost.countDown();
    host.join();
    assertThat(hostOnly).as("a host thread busy, Nova's idle").isBetween(0.0, 0.05);

    CountDownLatch stopNova = new CountDownLatch(1);
    Thread nova = burner("nova-test-burner", stopNova);
    // the burner is found at the next scan: a new NovaCpu scans at its first sample
    NovaCpu fresh = new NovaCpu(NovaClock.SYSTEM, health, 0.05);
    fresh.sample();
    sampleFor(fresh, 600);
    double novaBusy = fresh.share(Duration.ofSeconds(10));
    stopNova.countDown();
    nova.join();
    assertThat(novaBusy).as("one thread of Nova's busy").isGreaterThan(0.2);

    Map<String, Object> snap = fresh.snapshot();
    assertThat(snap).containsEntry("budget", 0.05).containsKey("shareOfOneCore1m");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) snap.get("byThread");
    assertThat(rows.get(0)).containsEntry("thread", "nova-test-burner");
    assertThat((Double) rows.get(0).get("cpuSeconds")).isPositive();
    assertThat(health.errors()).isZero();
  }

  @Test
  void namesOfNovasThreads() {
    assertThat(NovaCpu.isNovas("nova-detectors")).isTrue();
    assertThat(NovaCpu.isNovas("JFR Periodic Tasks")).isTrue();
    assertThat(NovaCpu.isNovas("novatel-worker")).isFalse();
    assertThat(NovaCpu.isNovas("main")).isFalse();
  }
}

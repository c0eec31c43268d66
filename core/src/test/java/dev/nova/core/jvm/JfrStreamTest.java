package dev.nova.core.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.health.NovaHealth;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.EventSettings;
import org.junit.jupiter.api.Test;

/** The stream opens while a part wants events and closes when none does, on a real JFR. */
class JfrStreamTest {

  @Test
  void opensOnlyWhileSomePartWantsItsEvents() throws Exception {
    NovaHealth health = new NovaHealth();
    CountDownLatch cpuLoad = new CountDownLatch(1);
    try (JfrStream jfr = new JfrStream(health)) {
      JfrStream.Part cpu =
          jfr.add(
              "jdk.CPULoad",
              Map.of("jdk.CPULoad", (EventSettings s) -> s.withPeriod(Duration.ofMillis(100))),
              rs -> rs.onEvent("jdk.CPULoad", e -> cpuLoad.countDown()),
              false);
      JfrStream.Part gc =
          jfr.add(
              "jdk.GarbageCollection", Map.of("jdk.GarbageCollection", s -> {}), rs -> {}, false);
      jfr.start(true);
      assertThat(jfr.running()).isFalse();
      assertThat(jfr.status()).startsWith("idle: opened only while needed (jdk.CPULoad");

      cpu.want(true);
      assertThat(jfr.running()).isTrue();
      assertThat(jfr.status()).isEqualTo("on: jdk.CPULoad");
      assertThat(cpuLoad.await(20, TimeUnit.SECONDS)).as("the wanted event arrives").isTrue();
      gc.want(true);
      assertThat(jfr.status()).isEqualTo("on: jdk.CPULoad, jdk.GarbageCollection");
      cpu.want(false);
      assertThat(jfr.running()).as("one part still wants events").isTrue();
      gc.want(false);
      assertThat(jfr.running()).isFalse();
      assertThat(jfr.status()).startsWith("idle:");
      assertThat(jfr.timesOpened()).isEqualTo(1);
      gc.want(true);
      assertThat(jfr.running()).isTrue();
      assertThat(jfr.timesOpened()).isEqualTo(2);
    }
    assertThat(health.errors()).isZero();
  }

  @Test
  void anEarlyPartOpensInsideTheDelayAndAnOrdinaryOneWaitsForIt() throws Exception {
    NovaHealth health = new NovaHealth();
    try (JfrStream jfr = new JfrStream(health)) {
      JfrStream.Part threads =
          jfr.add("jdk.ThreadStart", Map.of("jdk.ThreadStart", s -> {}), rs -> {}, true);
      CountDownLatch sampled = new CountDownLatch(1);
      JfrStream.Part cpu =
          jfr.addEarly(
              "jdk.CPULoad",
              Map.of("jdk.CPULoad", (EventSettings s) -> s.withPeriod(Duration.ofMillis(100))),
              rs -> rs.onEvent("jdk.CPULoad", e -> sampled.countDown()));
      jfr.startAfter(true, Duration.ofHours(1));
      assertThat(threads.wanted()).isTrue();
      assertThat(jfr.running()).as("an ordinary part waits for jfr.delay").isFalse();
      assertThat(jfr.pastDelay()).isFalse();
      assertThat(jfr.status()).startsWith("waiting: starts 3600s after Nova");

      cpu.want(true);
      assertThat(jfr.running()).as("a detector's suspicion does not wait").isTrue();
      assertThat(jfr.status())
          .startsWith("on: jdk.ThreadStart, jdk.CPULoad (early, inside jfr.delay");
      assertThat(sampled.await(20, TimeUnit.SECONDS)).isTrue();
      cpu.want(false);
      assertThat(jfr.running()).as("back to waiting for the delay").isFalse();
      assertThat(jfr.status()).startsWith("waiting:");
    }
    try (JfrStream off = new JfrStream(health)) {
      JfrStream.Part cpu = off.addEarly("jdk.CPULoad", Map.of("jdk.CPULoad", s -> {}), rs -> {});
      off.startAfter(false, Duration.ofHours(1));
      cpu.want(true);
      assertThat(off.running()).as("jfr=false holds for early parts too").isFalse();
    }
    assertThat(health.errors()).isZero();
  }

  @Test
  void offMeansNeverOpenedWhateverIsWanted() {
    NovaHealth health = new NovaHealth();
    try (JfrStream jfr = new JfrStream(health)) {
      JfrStream.Part p = jfr.add("jdk.CPULoad", Map.of("jdk.CPULoad", s -> {}), rs -> {}, true);
      jfr.start(false);
      p.want(false);
      p.want(true);
      assertThat(jfr.running()).isFalse();
      assertThat(jfr.usable()).isFalse();
      assertThat(jfr.status()).isEqualTo("off (jfr=false)");
      assertThat(jfr.timesOpened()).isZero();
    }
  }

  @Test
  void closedStreamStaysClosed() {
    NovaHealth health = new NovaHealth();
    JfrStream jfr = new JfrStream(health);
    java.util.Set<Thread> before = streamThreads();
    JfrStream.Part p = jfr.add("jdk.CPULoad", Map.of("jdk.CPULoad", s -> {}), rs -> {}, true);
    jfr.start(true);
    assertThat(jfr.running()).isTrue();
    java.util.Set<Thread> mine = streamThreads();
    mine.removeAll(before);
    assertThat(mine).as("the stream's own thread").hasSize(1);
    jfr.close();
    assertThat(jfr.running()).isFalse();
    // closed means gone: its thread has ended by the time close returns
    assertThat(mine).noneMatch(Thread::isAlive);
    p.want(false);
    p.want(true);
    assertThat(jfr.running()).isFalse();
  }

  private static java.util.Set<Thread> streamThreads() {
    java.util.Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("nova-jfr")) {
        out.add(t);
      }
    }
    return out;
  }
}

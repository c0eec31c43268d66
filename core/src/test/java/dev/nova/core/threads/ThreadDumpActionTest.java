package dev.nova.core.threads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nova.core.remediation.ActionRequestFactory;
import dev.nova.core.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadDumpActionTest {
  private final List<Thread> started = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Object monitor = new Object();

  @AfterEach
  void stopThreads() throws InterruptedException {
    release.countDown();
    for (Thread t : started) {
      t.join(5000);
    }
  }

  static void parkedInAKnownPlace(CountDownLatch release) {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void startParked(int n) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      Thread t =
          new Thread(
              () -> {
                ready.countDown();
                parkedInAKnownPlace(release);
              },
              "parked-" + i);
      t.setDaemon(true);
      t.start();
      started.add(t);
    }
    ready.await();
  }

  private static JsonNode run(Map<String, String> params) throws Exception {
    Map<String, Object> out =
        new ThreadDumpAction().run(ActionRequestFactory.of(new ThreadDumpAction(), params));
    return new ObjectMapper().readTree(Json.render(out));
  }

  private static JsonNode groupWithFrame(JsonNode dump, String frame, int minCount)
      throws InterruptedException {
    for (JsonNode g : dump.get("threadGroups")) {
      for (JsonNode f : g.get("stack")) {
        if (f.asText().contains(frame) && g.get("count").asInt() >= minCount) {
          return g;
        }
      }
    }
    return null;
  }

  @Test
  void groupsIdenticalStacksMostCommonFirst() throws Exception {
    startParked(7);
    JsonNode dump = null;
    JsonNode group = null;
    // The threads are parked once they counted down, but may still be on their way into await():
    // ask again until all seven stand in the same place (bounded).
    for (int i = 0; i < 200 && group == null; i++) {
      dump = run(Map.of());
      group = groupWithFrame(dump, "ThreadDumpActionTest.parkedInAKnownPlace(", 7);
    }
    assertThat(group).as("a group of the 7 parked threads in %s", dump).isNotNull();
    assertThat(group.get("count").asInt()).isEqualTo(7);
    assertThat(group.get("states").get("WAITING").asInt()).isEqualTo(7);
    assertThat(group.get("virtual").asBoolean()).isFalse();
    int previous = Integer.MAX_VALUE;
    for (JsonNode g : dump.get("threadGroups")) {
      assertThat(g.get("count").asInt()).isLessThanOrEqualTo(previous);
      previous = g.get("count").asInt();
    }
    assertThat(dump.get("platformThreads").asInt()).isGreaterThanOrEqualTo(8);
    for (JsonNode g : dump.get("threadGroups")) {
      for (JsonNode f : g.get("stack")) {
        assertThat(f.asText())
            .matches("[\\w$.]+\\.[\\w$<>]+\\((.+\\.java(:\\d+)?|Native Method|Unknown Source)\\)");
      }
    }
  }

  @Test
  void namesTheOwnerOfTheLockABlockedThreadWaitsFor() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    Thread owner =
        new Thread(
            () -> {
              synchronized (monitor) {
                holding.countDown();
                parkedInAKnownPlace(release);
              }
            },
            "lock-owner");
    owner.setDaemon(true);
    owner.start();
    started.add(owner);
    holding.await();
    Thread blocked =
        new Thread(
            () -> {
              synchronized (monitor) {
                monitor.hashCode();
              }
            },
            "lock-waiter");
    blocked.setDaemon(true);
    blocked.start();
    started.add(blocked);
    while (blocked.getState() != Thread.State.BLOCKED) {
      Thread.onSpinWait();
    }
    JsonNode dump = run(Map.of());
    JsonNode waiter = null;
    for (JsonNode g : dump.get("threadGroups")) {
      for (JsonNode n : g.get("threads")) {
        if (n.asText().equals("lock-waiter")) {
          waiter = g;
        }
      }
    }
    assertThat(waiter).isNotNull();
    JsonNode waitingOn = waiter.get("waitingOn").elements().next();
    assertThat(waitingOn.get("ownerThread").asText()).isEqualTo("lock-owner");
    JsonNode ownerGroup = groupWithFrame(dump, "lambda$namesTheOwnerOfTheLock", 1);
    assertThat(ownerGroup).isNotNull();
    assertThat(ownerGroup.get("holds").toString()).contains("java.lang.Object@");
  }

  @Test
  void maxDepthCutsStacks() throws Exception {
    JsonNode dump = run(Map.of("maxDepth", "2"));
    for (JsonNode g : dump.get("threadGroups")) {
      assertThat(g.get("stack").size()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void dryRunSaysWhatItWouldDoAndDumpsNothing() throws Exception {
    JsonNode dry = run(Map.of("dryRun", "true"));
    assertThat(dry.has("threadGroups")).isFalse();
    assertThat(dry.get("liveThreads").asInt()).isPositive();
  }
}

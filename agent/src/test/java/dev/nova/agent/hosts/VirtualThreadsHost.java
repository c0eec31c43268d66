package dev.nova.agent.hosts;

import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;

/**
 * A host that parks five virtual threads in a known method (JDK 21+), then idles like {@link
 * IdleHost}. Compiled for Java 17, so virtual threads are started reflectively.
 */
public final class VirtualThreadsHost {
  static final CountDownLatch RELEASE = new CountDownLatch(1);

  private VirtualThreadsHost() {}

  public static void main(String[] args) throws Exception {
    Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
    CountDownLatch parked = new CountDownLatch(5);
    for (int i = 0; i < 5; i++) {
      start.invoke(null, (Runnable) () -> parkedVirtually(parked));
    }
    parked.await();
    System.out.println("host-ready pid=" + ProcessHandle.current().pid());
    System.out.flush();
    IdleHost.waitForStdinToClose();
    RELEASE.countDown();
  }

  static void parkedVirtually(CountDownLatch parked) {
    parked.countDown();
    try {
      RELEASE.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

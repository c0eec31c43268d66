package app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A plain program with a CPU problem or a lock problem, knowing nothing of Nova. {@code spin}: as
 * many threads as CPUs spin in {@link #spin}. {@code deadlock}: two threads deadlock on two
 * monitors, two more on two {@code ReentrantLock}s. {@code convoy}: eight threads take turns on one
 * monitor, each holding it for 100 ms. {@code busy-deadlock N}: busy on the main thread for N
 * seconds, then the monitors' deadlock.
 */
public final class CpuHost {
  static volatile long sink;
  private static final Object LEFT = new Object();
  private static final Object RIGHT = new Object();
  private static final ReentrantLock FIRST = new ReentrantLock();
  private static final Object CONVOY = new Object();
  private static final ReentrantLock SECOND = new ReentrantLock();

  private CpuHost() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "spin" -> {
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
          Thread t = new Thread(CpuHost::spin, "spinner-" + i);
          t.setDaemon(true);
          t.start();
        }
      }
      case "deadlock" -> {
        CountDownLatch both = new CountDownLatch(2);
        start("monitor-a", () -> monitors(LEFT, RIGHT, both));
        start("monitor-b", () -> monitors(RIGHT, LEFT, both));
        CountDownLatch locked = new CountDownLatch(2);
        start("lock-a", () -> locks(FIRST, SECOND, locked));
        start("lock-b", () -> locks(SECOND, FIRST, locked));
      }
      case "busy-deadlock" -> {
        // busy first (what the minutes before an incident hold), then the deadlock
        long until = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        System.out.println("host-ready");
        while (System.nanoTime() < until) {
          busy();
        }
        CountDownLatch both = new CountDownLatch(2);
        start("monitor-a", () -> monitors(LEFT, RIGHT, both));
        start("monitor-b", () -> monitors(RIGHT, LEFT, both));
        System.out.println("deadlocked");
        Thread.sleep(Long.MAX_VALUE);
      }
      case "convoy" -> {
        for (int i = 0; i < 8; i++) {
          start("convoy-" + i, CpuHost::convoy);
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.println("host-ready");
    Thread.sleep(Long.MAX_VALUE); // the host runs until the test stops it
  }

  private static void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  static void spin() {
    long x = 0;
    while (true) {
      for (int i = 0; i < 1_000_000; i++) {
        x += i * 31L ^ (x >>> 7);
      }
      sink = x;
    }
  }

  /** A few milliseconds of work, then a pause: a service at half a core. */
  static void busy() {
    long x = sink;
    for (int i = 0; i < 2_000_000; i++) {
      x += i * 31L ^ (x >>> 7);
    }
    sink = x;
    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
  }

  /** Each pass holds one monitor for 100 ms: the other seven threads queue on it. */
  static void convoy() {
    while (true) {
      synchronized (CONVOY) {
        try {
          Thread.sleep(100); // the slow work done under the lock, as in the runbook's convoy
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  static void monitors(Object first, Object second, CountDownLatch both) {
    synchronized (first) {
      both.countDown();
      await(both);
      synchronized (second) {
        sink++;
      }
    }
  }

  static void locks(ReentrantLock first, ReentrantLock second, CountDownLatch both) {
    first.lock();
    try {
      both.countDown();
      await(both);
      second.lock();
      try {
        sink++;
      } finally {
        second.unlock();
      }
    } finally {
      first.unlock();
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

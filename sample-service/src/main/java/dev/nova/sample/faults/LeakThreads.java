package dev.nova.sample.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** Runbook 5 "goroutine leak", on the JVM: a thread started every 100 ms that never ends. */
public final class LeakThreads implements Fault {
  private final List<Thread> started = new ArrayList<>();
  private volatile Thread starter;

  @Override
  public String name() {
    return "leak-threads";
  }

  @Override
  public String description() {
    return "starts a thread every 100 ms that never ends (runbook 5, goroutine leak)";
  }

  @Override
  public synchronized void start() {
    if (starter != null) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              while (starter == Thread.currentThread()) {
                startListener();
                LockSupport.parkNanos(100_000_000L);
              }
            },
            "listener-starter");
    t.setDaemon(true);
    starter = t;
    t.start();
  }

  /** The leaking call site: a "listener" per event, never stopped. */
  void startListener() {
    Thread l = new Thread(() -> LockSupport.park(), "event-listener-" + System.nanoTime() % 10_000);
    l.setDaemon(true);
    l.start();
    synchronized (started) {
      started.add(l);
    }
  }

  @Override
  public synchronized void stop() {
    starter = null;
    synchronized (started) {
      for (Thread t : started) {
        LockSupport.unpark(t);
      }
      started.clear();
    }
  }

  @Override
  public boolean active() {
    return starter != null;
  }
}

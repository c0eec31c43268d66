package app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A host with one of three behaviours, until its stdin closes: {@code retain} keeps 1 MB more every
 * 100 ms; {@code churn} allocates as much but keeps nothing; {@code threads} starts a thread every
 * 100 ms that never ends. All three collect garbage explicitly every second, so that the heap after
 * GC is the live set.
 */
public final class MemoryHost {
  static final List<byte[]> RETAINED = new ArrayList<>();
  static volatile byte[] sink;

  private MemoryHost() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Thread work =
        new Thread(
            () -> {
              long tick = 0;
              while (!Thread.currentThread().isInterrupted()) {
                switch (mode) {
                  case "retain" -> retainOneMegabyte();
                  case "churn" -> churnOneMegabyte();
                  case "threads" -> startWorker();
                  default -> throw new IllegalArgumentException(mode);
                }
                if (++tick % 10 == 0) {
                  System.gc();
                }
                LockSupport.parkNanos(100_000_000L);
              }
            },
            "host-work");
    work.setDaemon(true);
    work.start();
    System.out.println("host-ready pid=" + ProcessHandle.current().pid());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
  }

  static void retainOneMegabyte() {
    for (int i = 0; i < 16; i++) {
      RETAINED.add(new byte[64 * 1024]); // small arrays: a 1 MB one would take two G1 regions
    }
  }

  static void churnOneMegabyte() {
    for (int i = 0; i < 16; i++) {
      sink = new byte[64 * 1024];
    }
  }

  static void startWorker() {
    Thread t = new Thread(() -> LockSupport.park(), "leaky-worker-" + System.nanoTime() % 1000);
    t.setDaemon(true);
    t.start();
  }
}

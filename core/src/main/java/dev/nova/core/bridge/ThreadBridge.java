package dev.nova.core.bridge;

import java.util.function.Consumer;

/**
 * The doorway from the agent's advice on {@code java.lang.Thread.start} into Nova: a platform
 * thread was started, and the caller's stack (the thread that started it) is the creation site. The
 * sink runs on the starting thread and is handed the new thread only to read its id; it keeps no
 * reference. Threads started before Nova's core is up are not attributed. Never throws.
 */
public final class ThreadBridge {
  private static volatile Consumer<Thread> sink;
  private static volatile boolean woven;
  private static volatile boolean failed;

  private ThreadBridge() {}

  /** The agent is weaving {@code Thread.start}: creation sites will come from here, not JFR. */
  public static void expectWoven() {
    woven = true;
  }

  /** Weaving {@code Thread.start} failed: creation sites must come from JFR after all. */
  public static void weavingFailed() {
    failed = true;
  }

  /** True when the agent weaves {@code Thread.start} and that has not failed. */
  public static boolean woven() {
    return woven && !failed;
  }

  public static void install(Consumer<Thread> s) {
    sink = s;
  }

  public static void uninstall(Consumer<Thread> s) {
    if (sink == s) {
      sink = null;
    }
  }

  /** From the advice, after {@code start} returned. */
  public static void started(Thread t) {
    Consumer<Thread> s = sink;
    if (s == null) {
      return;
    }
    try {
      s.accept(t);
    } catch (Throwable ignored) {
      // the host's thread is started either way
    }
  }
}

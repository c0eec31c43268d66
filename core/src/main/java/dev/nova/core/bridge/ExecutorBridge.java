package dev.nova.core.bridge;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;

/**
 * The doorway from the agent's advice on {@code ThreadPoolExecutor}'s constructor into Nova: a pool
 * was made, and where (the frame that called the JDK's constructors and factories, read on the
 * making thread). Runs once per pool, never per task. Pools made before Nova's core is up (the core
 * starts beside the application) are remembered, the pool weakly, at most {@value #EARLY}, and
 * handed over when it is. Typed on JDK classes only: the agent defines this package in the
 * bootstrap class loader. Never throws.
 */
public final class ExecutorBridge {
  static final int EARLY = 64;

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private record Early(WeakReference<ThreadPoolExecutor> pool, StackTraceElement site) {}

  private static final List<Early> WAITING = new ArrayList<>();
  private static volatile BiConsumer<ThreadPoolExecutor, StackTraceElement> sink;

  private ExecutorBridge() {}

  /** From now on pools go to {@code s}, the ones waiting first. */
  public static void install(BiConsumer<ThreadPoolExecutor, StackTraceElement> s) {
    List<Early> queued;
    synchronized (WAITING) {
      sink = s;
      queued = new ArrayList<>(WAITING);
      WAITING.clear();
    }
    for (Early e : queued) {
      ThreadPoolExecutor p = e.pool().get();
      if (p != null) {
        hand(s, p, e.site());
      }
    }
  }

  public static void uninstall(BiConsumer<ThreadPoolExecutor, StackTraceElement> s) {
    synchronized (WAITING) {
      if (sink == s) {
        sink = null;
      }
    }
  }

  /** From the advice, when the pool's constructor returned. */
  public static void created(ThreadPoolExecutor pool) {
    try {
      StackTraceElement site = siteOf();
      BiConsumer<ThreadPoolExecutor, StackTraceElement> s = sink;
      if (s == null) {
        synchronized (WAITING) {
          if (sink == null) {
            if (WAITING.size() < EARLY) {
              WAITING.add(new Early(new WeakReference<>(pool), site));
            }
            return;
          }
          s = sink;
        }
      }
      hand(s, pool, site);
    } catch (Throwable ignored) {
      // the host's pool is made either way
    }
  }

  private static void hand(
      BiConsumer<ThreadPoolExecutor, StackTraceElement> s,
      ThreadPoolExecutor pool,
      StackTraceElement site) {
    try {
      s.accept(pool, site);
    } catch (Throwable ignored) {
      // what Nova cannot take is left alone
    }
  }

  /**
   * The first frame below {@code ThreadPoolExecutor}'s constructors, {@code java.util.concurrent}'s
   * factories and a subclass's constructors (Spring's own pool): the code that made the pool. Null
   * when there is none.
   */
  static StackTraceElement siteOf() {
    StackWalker.StackFrame f =
        WALKER.walk(
            s ->
                s.dropWhile(x -> x.getDeclaringClass() != ThreadPoolExecutor.class)
                    .dropWhile(
                        x ->
                            x.getClassName().startsWith("java.util.concurrent.")
                                || (x.getMethodName().equals("<init>")
                                    && ThreadPoolExecutor.class.isAssignableFrom(
                                        x.getDeclaringClass())))
                    .findFirst()
                    .orElse(null));
    return f == null ? null : f.toStackTraceElement();
  }
}

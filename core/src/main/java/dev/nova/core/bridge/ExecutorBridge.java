package dev.nova.core.bridge;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The doorway from the agent's advice on the constructors of thread pools ({@code
 * java.util.concurrent.ThreadPoolExecutor}'s, Tomcat's fork of it) into Nova: a pool was made, and
 * where (the frame that called the JDK's constructors and factories, read on the making thread).
 * Runs once per pool, never per task. Pools made before Nova's core is up (the core starts beside
 * the application) are remembered, the pool weakly, at most {@value #EARLY}, and handed over when
 * it is. Typed on JDK classes only: the agent defines this package in the bootstrap class loader.
 * Never throws.
 */
public final class ExecutorBridge {
  static final int EARLY = 64;

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private record Early(WeakReference<Object> pool, StackTraceElement site) {}

  private static final List<Early> WAITING = new ArrayList<>();
  private static volatile BiConsumer<Object, StackTraceElement> sink;

  private ExecutorBridge() {}

  /** From now on pools go to {@code s}, the ones waiting first. */
  public static void install(BiConsumer<Object, StackTraceElement> s) {
    List<Early> queued;
    synchronized (WAITING) {
      sink = s;
      queued = new ArrayList<>(WAITING);
      WAITING.clear();
    }
    for (Early e : queued) {
      Object p = e.pool().get();
      if (p != null) {
        hand(s, p, e.site());
      }
    }
  }

  public static void uninstall(BiConsumer<Object, StackTraceElement> s) {
    synchronized (WAITING) {
      if (sink == s) {
        sink = null;
      }
    }
  }

  /** From the advice, when the pool's constructor returned. */
  public static void created(Object pool) {
    try {
      StackTraceElement site = siteOf(pool.getClass());
      BiConsumer<Object, StackTraceElement> s = sink;
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
      BiConsumer<Object, StackTraceElement> s, Object pool, StackTraceElement site) {
    try {
      s.accept(pool, site);
    } catch (Throwable ignored) {
      // what Nova cannot take is left alone
    }
  }

  /**
   * The first frame below the pool's constructors (its class's and its superclasses', a subclass's
   * such as Spring's own) and {@code java.util.concurrent}'s factories: the code that made the
   * pool. Null when there is none.
   */
  static StackTraceElement siteOf(Class<?> pool) {
    StackWalker.StackFrame f =
        WALKER.walk(
            s ->
                s.dropWhile(x -> !constructs(x, pool))
                    .dropWhile(
                        x ->
                            constructs(x, pool)
                                || x.getClassName().startsWith("java.util.concurrent."))
                    .findFirst()
                    .orElse(null));
    return f == null ? null : f.toStackTraceElement();
  }

  private static boolean constructs(StackWalker.StackFrame f, Class<?> pool) {
    return f.getMethodName().equals("<init>") && f.getDeclaringClass().isAssignableFrom(pool);
  }
}

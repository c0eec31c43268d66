package dev.nova.core.bridge;

import java.util.function.BiConsumer;

/**
 * The doorway from the agent's advice on the constructors of thread pools ({@code
 * java.util.concurrent.ThreadPoolExecutor}'s, Tomcat's fork of it) into Nova: a pool was made, and
 * where (the frame that called the JDK's constructors and factories, read on the making thread).
 * Runs once per pool, never per task. Pools made before Nova's core is up (the core starts beside
 * the application) are remembered, the pool weakly, at most {@value #EARLY}, and handed over when
 * it is (see {@link Handoff}). Typed on JDK classes only: the agent defines this package in the
 * bootstrap class loader. Never throws.
 */
public final class ExecutorBridge {
  static final int EARLY = 64;
  private static final Handoff HANDOFF = new Handoff(EARLY);

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private ExecutorBridge() {}

  /** From now on pools and where they were made go to {@code s}, the ones waiting first. */
  public static void install(BiConsumer<Object, StackTraceElement> s) {
    HANDOFF.install(s, (pool, site) -> s.accept(pool, (StackTraceElement) site));
  }

  public static void uninstall(BiConsumer<Object, StackTraceElement> s) {
    HANDOFF.uninstall(s);
  }

  /** From the advice, when the pool's constructor returned. */
  public static void created(Object pool) {
    try {
      HANDOFF.offer(pool, siteOf(pool.getClass()));
    } catch (Throwable ignored) {
      // the host's pool is made either way
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

package dev.nova.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work a test hands to a thread pool, outside Nova's packages so that its frames are the
 * application's: a task that holds its worker until released, and a thread factory that names its
 * threads the way Spring's does and says so ({@code getThreadNamePrefix()}).
 */
public final class Jobs {
  private final CountDownLatch release = new CountDownLatch(1);

  /** A task that holds its worker until {@link #release()}. */
  public Runnable holding() {
    return this::hold;
  }

  public void release() {
    release.countDown();
  }

  private void hold() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Names threads {@code prefix1}, {@code prefix2}..., as Spring's {@code
   * CustomizableThreadFactory}.
   */
  public static final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    public NamedThreads(String prefix) {
      this.prefix = prefix;
    }

    public String getThreadNamePrefix() {
      return prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}

package dev.nova.testing;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A pool of the JDK's shape that is not the JDK's class, as Tomcat's fork of {@code
 * ThreadPoolExecutor} is: the same public getters, over a pool of its own.
 */
public final class ForkPool {
  private final ThreadPoolExecutor inner;

  public ForkPool(int threads) {
    inner =
        new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
  }

  public void execute(Runnable r) {
    inner.execute(r);
  }

  public void shutdownNow() {
    inner.shutdownNow();
  }

  public int getActiveCount() {
    return inner.getActiveCount();
  }

  public int getPoolSize() {
    return inner.getPoolSize();
  }

  public int getCorePoolSize() {
    return inner.getCorePoolSize();
  }

  public int getMaximumPoolSize() {
    return inner.getMaximumPoolSize();
  }

  public BlockingQueue<Runnable> getQueue() {
    return inner.getQueue();
  }

  public long getCompletedTaskCount() {
    return inner.getCompletedTaskCount();
  }

  public boolean isTerminated() {
    return inner.isTerminated();
  }

  public ThreadFactory getThreadFactory() {
    return inner.getThreadFactory();
  }
}

package dev.nova.spring;

import dev.nova.core.Nova;
import java.util.concurrent.ThreadPoolExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The application's thread pools, for {@code EXECUTOR_SATURATED}: each {@code
 * ThreadPoolTaskExecutor} bean (Boot's {@code applicationTaskExecutor} behind {@code @Async} among
 * them) and each plain {@code ThreadPoolExecutor} bean, registered under its bean name once it is
 * initialized (a lazy one, as Boot's is, when first used), held weakly. Scheduled pools and
 * executors without a queue of their own (virtual threads, {@code SimpleAsyncTaskExecutor}) are
 * not: Nova has no view of them. The bean itself is returned untouched.
 */
final class NovaExecutors implements BeanPostProcessor {
  private final ObjectProvider<Nova> nova;

  NovaExecutors(ObjectProvider<Nova> nova) {
    this.nova = nova;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String name) {
    try {
      // the workers' prefix is the one the pool's own thread factory declares: Spring's executor
      // is its own factory by default, and a factory the application set names its threads itself
      if (bean instanceof ThreadPoolTaskExecutor t) {
        register(name, t.getThreadPoolExecutor());
      } else if (bean instanceof ThreadPoolExecutor p) {
        register(name, p);
      }
    } catch (RuntimeException e) {
      // not initialized, or a name another pool holds (a child context's): left unwatched
    }
    return bean;
  }

  private void register(String name, ThreadPoolExecutor pool) {
    Nova n = nova.getIfAvailable();
    if (n != null) {
      n.executors().register(name, pool);
    }
  }
}

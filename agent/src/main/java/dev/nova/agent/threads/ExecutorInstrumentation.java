package dev.nova.agent.threads;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.InstrumentationModule;
import dev.nova.core.bridge.ExecutorBridge;
import net.bytebuddy.asm.Advice;

/**
 * The host's thread pools, for {@code EXECUTOR_SATURATED}: advice on the one constructor of {@code
 * java.util.concurrent.ThreadPoolExecutor} that every other (and {@code Executors}' factories, and
 * every subclass) ends in, and on the same one of Tomcat's fork of it (its request pool), hands the
 * new pool to {@link ExecutorBridge} on the thread that made it, once per pool; nothing runs per
 * task. {@code java.base} is given a read edge to the bridge's module so the inlined call links.
 */
public final class ExecutorInstrumentation implements InstrumentationModule {
  public static final String TYPE = "java.util.concurrent.ThreadPoolExecutor";

  /** Tomcat's request pool: a fork of the JDK's class, with the same constructors and getters. */
  public static final String TOMCAT = "org.apache.tomcat.util.threads.ThreadPoolExecutor";

  @Override
  public String name() {
    return "executors";
  }

  /**
   * After the pool's fields are set: it can be read. Typed {@code Object}, not the pool's class:
   * describing advice that names {@code ThreadPoolExecutor} while that class is being loaded would
   * load it again (a {@code ClassCircularityError}, and the class left unwoven).
   */
  static final class Made {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object self) {
      ExecutorBridge.created(self);
    }
  }

  @Override
  public void hook(Hooking h) {
    if (!h.letJavaBaseReadBridges(ExecutorBridge.class)) {
      return; // java.base cannot read the bridge: pools are registered by name only
    }
    h.named(
        TYPE,
        (b, type, loader, module, domain) ->
            b.visit(Advice.to(Made.class).on(isConstructor().and(takesArguments(7)))));
    h.named(
        TOMCAT,
        (b, type, loader, module, domain) ->
            b.visit(Advice.to(Made.class).on(isConstructor().and(takesArguments(7)))));
  }
}

package dev.nova.agent.threads;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.InstrumentationModule;
import dev.nova.core.bridge.ThreadBridge;
import net.bytebuddy.asm.Advice;

/**
 * Where threads are started, without JDK Flight Recorder: advice on {@code java.lang.Thread}'s
 * {@code start()} (and on JDK 21+ its package-private {@code start(ThreadContainer)}, which the
 * JDK's thread-per-task executors call) hands the started thread to {@link ThreadBridge}, on the
 * thread that started it. Virtual threads have their own {@code start} and are not seen. {@code
 * java.base} is given a read edge to the bridge's module so the inlined call links.
 */
public final class ThreadInstrumentation implements InstrumentationModule {
  public static final String TYPE = "java.lang.Thread";

  @Override
  public String name() {
    return "threads";
  }

  @Override
  public void beforeCore() {
    // the core's thread monitor then leaves JFR's thread events alone
    ThreadBridge.expectWoven();
  }

  /** After a start that returned: the thread runs. */
  static final class Started {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Thread self) {
      ThreadBridge.started(self);
    }
  }

  @Override
  public void hook(Hooking h) {
    if (!h.letJavaBaseReadBridges(ThreadBridge.class)) {
      // java.base cannot read the bridge: no advice on Thread, creation sites come from JFR;
      // every other module is installed as usual
      ThreadBridge.weavingFailed();
      return;
    }
    h.named(
            TYPE,
            (b, type, loader, module, domain) ->
                b.visit(
                    Advice.to(Started.class)
                        .on(
                            named("start")
                                .and(not(isStatic()))
                                .and(takesArguments(0).or(takesArguments(1))))))
        // java.lang.Thread not retransformed: thread creation sites come from JFR
        .unlessTransformed(TYPE, ThreadBridge::weavingFailed);
  }
}

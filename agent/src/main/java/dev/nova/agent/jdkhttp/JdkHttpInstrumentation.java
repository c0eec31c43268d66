package dev.nova.agent.jdkhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.nova.agent.Hooking;
import dev.nova.agent.InstrumentationModule;
import dev.nova.core.bridge.HttpServerBridge;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * The JDK's built-in {@code com.sun.net.httpserver} server: every context it makes is handed to
 * Nova, which adds its observing filter. The server lives in the named module {@code
 * jdk.httpserver}; it is given a read edge to the bridge's module so the inlined call links.
 */
public final class JdkHttpInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "jdk-httpserver";
  }

  /** {@code ServerImpl.createContext(..)}: the new context goes to Nova. */
  static final class Created {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return Object context) {
      HttpServerBridge.created(context);
    }
  }

  @Override
  public void hook(Hooking h) {
    Instrumentation inst = h.instrumentation();
    ModuleLayer.boot()
        .findModule("jdk.httpserver")
        .ifPresent(
            m ->
                inst.redefineModule(
                    m,
                    Set.of(HttpServerBridge.class.getModule()),
                    Map.of(),
                    Map.of(),
                    Set.of(),
                    Map.of()));
    h.named(
        "sun.net.httpserver.ServerImpl",
        (b, type, loader, module, domain) ->
            b.visit(Advice.to(Created.class).on(named("createContext"))));
  }
}
